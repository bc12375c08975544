"""The error conditions of OAI-PMH 2.0, section 3.6 of the specification."""

BAD_ARGUMENT = "badArgument"
BAD_RESUMPTION_TOKEN = "badResumptionToken"
BAD_VERB = "badVerb"
CANNOT_DISSEMINATE_FORMAT = "cannotDisseminateFormat"
ID_DOES_NOT_EXIST = "idDoesNotExist"
NO_RECORDS_MATCH = "noRecordsMatch"

# After these two the response must not echo the request's arguments, since
# they are not a well-formed request (specification section 3.2).
UNECHOED = frozenset({BAD_ARGUMENT, BAD_VERB})


class OAIError(Exception):
    """A request the protocol answers with <error code="...">message</error>."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
