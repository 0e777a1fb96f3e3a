"""Refusing an oversize upload before its body is read.

Django spools any upload to disk however large it is; a view that checks `upload.size`
has already read it all. The request's Content-Length is known before the body is read,
so the check comes first; the handler below stops a body that lies about its length.
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

# Multipart framing (boundaries, headers, other fields) around the file itself.
_FORM_OVERHEAD = 64 * 1024


def declared_too_large(request: HttpRequest, max_bytes: int) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > max_bytes + _FORM_OVERHEAD


class SizeLimitHandler(FileUploadHandler):
    """Stops reading once more than `max_bytes` of file data arrived (marks the request)."""

    def __init__(self, request: HttpRequest, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.request.upload_too_large = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def limit_uploads(request: HttpRequest, max_bytes: int) -> bool:
    """Call before touching request.FILES/POST; returns False when the upload is refused.

    After a False the view must answer with its "file too large" message; after True,
    check `getattr(request, "upload_too_large", False)` once request.FILES was read.
    """
    if declared_too_large(request, max_bytes):
        return False
    request.upload_handlers.insert(0, SizeLimitHandler(request, max_bytes))
    return True
