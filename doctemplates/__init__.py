"""Rendering capability: DOCX templates (docxtpl, sandboxed Jinja) to archival PDF/A-2b.

Modules: ``rendering`` (render a template), ``validation`` (check an upload), ``conversion``
(LibreOffice pool), ``signature_fields`` (empty fields for the signing route), ``qr``,
``provenance``, ``fonts`` (font warnings), ``defaults`` (built-in templates) and ``pipeline``
(``render_document``: all of it in one call). Never imports ``records``.
"""
