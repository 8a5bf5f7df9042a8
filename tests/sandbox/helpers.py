"""What the sandbox tests share."""

from __future__ import annotations

import io

from PIL import Image


def png(width: int = 300, height: int = 200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 110, 180)).save(out, format="PNG")
    return out.getvalue()
