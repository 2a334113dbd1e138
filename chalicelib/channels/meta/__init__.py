"""Meta Graph webhooks: Facebook Page, Messenger, Instagram, WhatsApp Cloud API."""
