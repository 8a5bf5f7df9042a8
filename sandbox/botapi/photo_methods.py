"""sendPhoto as the Bot API documents it: a new upload (multipart/form-data, or attach://<part>)
or a file_id the sandbox issued before; a caption of at most 1024 characters.

The sandbox has no network, so an HTTP URL is refused as Telegram refuses one it cannot
fetch. An upload must be an image Telegram would take: at most 10 MB, width + height at most
10000, a side ratio of at most 20 (checked with Pillow, which decodes the header).
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from PIL import Image, UnidentifiedImageError

from .call import Call
from .errors import bad_request
from .message_methods import post
from .params import Upload
from .records import Photo
from .state import World
from .validation import parse_caption, parse_reply_markup

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_SIDES = 10_000
MAX_RATIO = 20


async def send_photo(call: Call) -> dict[str, Any]:
    p, world = call.params, call.world
    chat_id = p.chat_id()
    photo = _photo(world, call)
    caption = parse_caption(
        p.get_str("caption"), p.get_str("parse_mode"), p.get_json("caption_entities", "entities")
    )
    markup = parse_reply_markup(
        p.get_json("reply_markup", "reply keyboard markup"), inline_only=False
    )
    return post(call, chat_id, caption, markup, photo)


def _photo(world: World, call: Call) -> Photo:
    """The uploaded file, the part attach:// names, or a photo sent before by its file_id."""
    p = call.params
    upload = p.get_upload("photo")
    if upload is None:
        value = p.get_str("photo")
        if not value:
            raise bad_request("there is no photo in the request")
        if value.startswith("attach://"):
            upload = p.get_upload(value.removeprefix("attach://"))
            if upload is None:
                raise bad_request("can't find the attached file")
        elif value.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        else:
            known = world.photos.get(value)
            if known is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
            return known
    photo = _decode(upload)
    world.photos[photo.file_id] = photo
    return photo


def _decode(upload: Upload) -> Photo:
    if not upload.data:
        raise bad_request("file must be non-empty")
    if len(upload.data) > MAX_PHOTO_BYTES:
        raise bad_request("PHOTO_SAVE_FILE_INVALID")
    try:
        with Image.open(io.BytesIO(upload.data)) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise bad_request("IMAGE_PROCESS_FAILED") from None
    if width + height > MAX_SIDES or max(width, height) > MAX_RATIO * min(width, height):
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    digest = hashlib.sha256(upload.data).hexdigest()
    return Photo(
        data=upload.data,
        width=width,
        height=height,
        file_id=f"AgACAgIAAxk{digest[:40]}",
        file_unique_id=f"AQAD{digest[40:56]}",
        filename=upload.filename,
    )
