"""Requests the import tests make as an editor's browser would."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

UPLOAD = reverse("admin:essays_essay_import")


def upload(client, *files, follow=True, **fields):
    data = {"files": [SimpleUploadedFile(name, content) for name, content in files], **fields}
    return client.post(UPLOAD, data, follow=follow)


def preview_url(response):
    (url, _), *_ = response.redirect_chain
    assert re.fullmatch(r"/admin/essays/essay/import/[0-9a-f-]{36}/", url), url
    return url


def versions(response):
    return {m.group(1): m.group(2) for m in re.finditer(r'name="v-(\d+)" value="(\d+)"', response.text)}


def post_edit(client, url, response, action="save", follow=True, **fields):
    """Submit the preview form as the page shows it, with some fields changed."""
    data = {"page": "1", "status": "draft", "action": action}
    data.update({f"v-{pk}": version for pk, version in versions(response).items()})
    for match in re.finditer(
        r'<input type="text" id="[^"]+" name="([tao]-\d+-\d+)" value="([^"]*)"', response.text
    ):
        data[match.group(1)] = match.group(2)  # (value attributes here are plain CJK, no entities)
    for match in re.finditer(
        r'<input type="radio" name="(conflict-\d+)" value="(\w+)" checked>', response.text
    ):
        data[match.group(1)] = match.group(2)
    data.update(fields)
    return client.post(url, data, follow=follow)
