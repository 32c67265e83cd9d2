"""Share and embed the view (issue 27): "复制链接 / Copy link" and "嵌入 / Embed" beside the map,
and the embedded view itself (``?embed=true``) without the sidebar and header.

Both controls are Streamlit popovers (real buttons: Tab, Enter, Space). What they open is
filled in the browser (static/js/share.js) from the address bar as it is at the click: the map
writes its view there (``?z=&ll=``) without a rerun, so only the browser knows the whole view.
"""

from __future__ import annotations

import streamlit as st

from fjchains.app.scripts import page_script
from fjchains.core import paths
from fjchains.core.i18n import t

#: Where share.js writes the address (kind "link") or the ``<iframe>`` snippet (kind "embed").
_BOX = '<div class="fj-share" data-kind="{kind}"></div>'
#: The snippet's iframe height, px: an embedded map page's title, map and details.
EMBED_HEIGHT = 820


def share_controls(lang: str) -> None:
    """The two controls, in a row under the map. In an embedded view there are none (its
    address would open the view again inside the other site's frame)."""
    if st.context.is_embedded:
        return
    texts = {"copied": t("share_copied", lang), "failed": t("share_copy_failed", lang),
             "urlLabel": t("share_url_label", lang), "embedLabel": t("share_embed_label", lang),
             "copyCode": t("share_copy_code", lang), "title": t("app_title", lang), "height": EMBED_HEIGHT}
    with st.container(key="share_row", horizontal=True, gap="small"):
        with st.popover(t("share_link", lang), icon=":material/link:", key="share_link"):
            st.caption(t("share_link_help", lang))
            st.html(_BOX.format(kind="link"))
        with st.popover(t("share_embed", lang), icon=":material/code:", key="share_embed"):
            st.caption(t("share_embed_help", lang))
            st.html(_BOX.format(kind="embed"))
        st.html(page_script("share.js", share=texts), unsafe_allow_javascript=True, width="content")


def share_style() -> None:
    """Once per page, outside the map's fragment (a stylesheet from a fragment's rerun does not
    reach the page): the popovers' fields (static/css/share.css); in an embedded view
    (``?embed=true``, which hides Streamlit's toolbar and padding) the sidebar and the header
    with the pages' bar hidden too (static/css/seam-embed.css): the frame shows one view."""
    st.html(paths.STATIC_DIR / "css" / "share.css")
    if st.context.is_embedded:
        st.html(paths.STATIC_DIR / "css" / "seam-embed.css")
