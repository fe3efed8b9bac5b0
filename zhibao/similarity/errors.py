"""The one error type of zhibao.similarity.

Why a ValueError subclass: callers (the CLI, the API views) turn bad user input into a readable
message without catching every ValueError a bug could raise; the message is meant for the user.
"""


class SimilarityInputError(ValueError):
    """Input the user can fix: an empty or over-long mark name, a non-text value, a corrupt image."""
