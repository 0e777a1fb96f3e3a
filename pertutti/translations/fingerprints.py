import hashlib


def fingerprint(text: str) -> str:
    """Identity of an Italian wording: any change to the text changes it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
