"""Letters and afschriften as PDF/A documents, and the post batch for the gemeente's mail room."""

from services.notificaties.documenten.afschrift import afschrift_pdf
from services.notificaties.documenten.document import Document
from services.notificaties.documenten.melderbrief import MelderBrief, melderbrief_pdf
from services.notificaties.documenten.postbatch import postbatch

__all__ = ["Document", "MelderBrief", "afschrift_pdf", "melderbrief_pdf", "postbatch"]
