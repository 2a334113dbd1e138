"""Server-rendered HTML for the staff console and the public transparency page (Jinja2, no CDN)."""
