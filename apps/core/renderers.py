"""JSON as GMS sends it: UTF-8, said in the Content-Type (responses.md §1.1)."""

from rest_framework.renderers import JSONRenderer


class GMSJSONRenderer(JSONRenderer):
    charset = "utf-8"
    # Keep non-ASCII text readable (carrier and location names, user data).
    ensure_ascii = False
