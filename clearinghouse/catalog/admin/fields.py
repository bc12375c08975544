"""Form fields for the admin: lists stored as JSON, edited one item per line."""

from django import forms


class LinesField(forms.CharField):
    """A list of strings (a JSONField) shown as a textarea, one item per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "One per line.")
        super().__init__(**kwargs)

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: object) -> list[str]:
        text = super().to_python(value)
        items = [line.strip() for line in text.splitlines()]
        return list(dict.fromkeys(item for item in items if item))

    def has_changed(self, initial: object, data: object) -> bool:
        return list(initial or []) != self.to_python(data)
