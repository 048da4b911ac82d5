"""Shared printing: what every generated PDF needs, knowing nothing of what it prints.

``pdf`` embeds a font with Vietnamese glyphs, draws QR codes and wraps text by measured width;
``new_document``/``finish`` open an A4/A5 canvas with its title and return the file's bytes.
Documents of a domain (the dossier forms Mẫu 01–06 in ``dossiers.printing``, the payment
receipt in ``payments.printing``) are drawn with these and served with
``core.downloads.pdf_response``. ``official`` composes NĐ 30/2020 administrative documents from
a plain dataclass and converts DOCX drafts.
"""
