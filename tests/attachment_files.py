"""Small, real files of every accepted kind, and the bad ones the issue lists."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
CSV = b"kommune;system\nDrammen;Acos WebSak\nSvelvik;Public 360\n"


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zip_bytes(
    {
        "[Content_Types].xml": b"<Types/>",
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": b"<w:document/>",
    }
)
XLSX = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
DOCM = zip_bytes(
    {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<w:document/>",
        "word/vbaProject.bin": b"\xd0\xcf\x11\xe0",
    }
)
ZIP = zip_bytes({"migrering/flytt.ps1": b"Write-Host 'Hei'", "LESMEG.txt": b"Skript"})


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def deflate_bomb(name: str, unpacked_size: int, *, declared_size: int | None = None) -> bytes:
    """A ZIP with one deflated member of ``unpacked_size`` zero bytes, built without ever
    holding them: the same compressed block of 1 MiB of zeros repeated. ``declared_size``
    lets the archive lie about the member's size (it says ``unpacked_size`` otherwise)."""
    mib = 1 << 20
    assert unpacked_size % mib == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"\x00" * mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = block * (unpacked_size // mib) + compressor.flush()
    crc = 0
    zeros = b"\x00" * mib
    for _ in range(unpacked_size // mib):
        crc = zlib.crc32(zeros, crc)
    size = unpacked_size if declared_size is None else declared_size
    encoded = name.encode()
    fields = (20, 0, zipfile.ZIP_DEFLATED, 0, 0x21, crc, len(data), size, len(encoded))
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded
    central = (
        struct.pack("<IH", 0x02014B50, 20)
        + struct.pack("<HHHHHIIIH", *fields)
        + struct.pack("<HHHHII", 0, 0, 0, 0, 0, 0)
        + encoded
    )
    offset = len(local) + len(data)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), offset, 0)
    return local + data + central + end
