"""Generate the demo library's sample data sheets (one small PDF per record).

Dev-only (needs reportlab): `python scripts/make_demo_sheets.py`. Each sheet is
clearly marked as sample data written for Clearinghouse, never the publication
itself; the sheet points readers to the publisher's page for the original.
"""

import json
import uuid
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

DEMO = Path(__file__).resolve().parent.parent / "clearinghouse" / "demo"


def make_sheet(record: dict, path: Path) -> None:
    styles = getSampleStyleSheet()
    story = [
        Paragraph("Clearinghouse demo library: sample data sheet", styles["Italic"]),
        Spacer(1, 12),
        Paragraph(record["title"], styles["Title"]),
        Paragraph("Publisher: " + ", ".join(record["publishers"]), styles["Normal"]),
        Paragraph(f"Date: {record['date']}", styles["Normal"]),
        Spacer(1, 12),
        Paragraph("Summary", styles["Heading2"]),
        Paragraph(record["summary"], styles["BodyText"]),
        Paragraph("Keywords", styles["Heading2"]),
        Paragraph(", ".join(record["keywords"]), styles["BodyText"]),
        Spacer(1, 18),
        Paragraph(
            "This sheet is sample data written for the Clearinghouse demo. It is not "
            "the publication. The original is available from its publisher"
            + (f": {record['url']}" if record.get("url") else "."),
            styles["Italic"],
        ),
    ]
    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        title=f"Sample data sheet: {record['title']}",
        author="Clearinghouse demo",
        invariant=1,
    )
    document.build(story)


def main() -> None:
    for line in (DEMO / "library.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        name = uuid.UUID(record["id"]).hex[:12]
        make_sheet(record, DEMO / "sheets" / f"{name}.pdf")


if __name__ == "__main__":
    main()
