"""The directors' deck: a Deck model rendered to editable PowerPoint (pptx_render) and PDF (pdf_render)."""
