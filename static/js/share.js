/* "复制链接 / Copy link" and "嵌入 / Embed" beside the map (fjchains/app/panels/share.py, issue 27).
 *
 * Both are Streamlit popovers (real buttons: Tab, Enter, Space work). This script fills what
 * they open (a div.fj-share, data-kind "link" or "embed") from the address bar as it is at
 * the click: the map writes its view there (?z=&ll=) without a rerun, so only the browser knows
 * the whole view.
 * - Copy link: the click copies the view's address (navigator.clipboard) and the popover says
 *   "已复制 / Copied" over the address in a read-only field; when the browser refuses, the
 *   field's text is selected, to copy with Ctrl+C.
 * - Embed: an iframe snippet of the view with ?embed=true (Streamlit's own way to hide its
 *   chrome; share.py hides the sidebar and header too) in a read-only box, with a copy button.
 * Texts come from fjchains.page.share (share.py). The rules that need no page (the addresses,
 * the snippet and its escaping) are what node's tests load (tests/js/share.test.js).
 * Streamlit runs a script of st.html only if DOMPurify keeps it, and DOMPurify drops a script
 * whose text has a "less than" sign followed by a letter, "/" or "!" (it looks like markup):
 * none in this file, the snippet's are written \x3c. */
((logic) => {
  if (typeof module === 'object' && module.exports) {
    module.exports = logic;
    return;
  }
  window.fjchains = window.fjchains || {};
  const fjchains = window.fjchains;
  fjchains.shareLogic = logic;
  if (fjchains.shareInstalled) return;
  fjchains.shareInstalled = true;

  // the popovers' own buttons (st.popover(key=...): fjchains.seam.key, static/js/seam.js)
  const LINK_BUTTON = `${fjchains.seam.key('share_link')} button`;
  const EMBED_BUTTON = `${fjchains.seam.key('share_embed')} button`;

  const texts = () => fjchains.page?.share || {};
  let copied = null; // the last "Copy link": {url, ok: true | false | null (not answered yet)}

  function copy(text) {
    try {
      const writing = navigator.clipboard?.writeText(text);
      if (writing)
        return writing.then(
          () => true,
          () => false,
        );
    } catch (_e) {
      /* no clipboard in this context (an http page on another host) */
    }
    return Promise.resolve(false);
  }

  function element(tag, className, parent) {
    const el = document.createElement(tag);
    el.className = className;
    parent.appendChild(el);
    return el;
  }

  /* A field the user can select and copy: its whole text selected when it gets focus. */
  function field(box, tag, label) {
    const wrap = element('label', 'fj-share-label', box);
    wrap.textContent = label || '';
    const input = element(tag, 'fj-share-field', wrap);
    input.readOnly = true;
    input.spellcheck = false;
    input.addEventListener('focus', () => input.select());
    return input;
  }

  function say(status, ok, input) {
    const t = texts();
    status.textContent = ok ? `✓ ${t.copied || ''}` : t.failed || '';
    status.dataset.ok = String(ok);
    if (!ok) {
      input.focus({preventScroll: true});
      input.select();
    }
  }

  function fillLink(box) {
    const url = copied?.url ?? logic.shareUrl(window.location.href);
    if (!box.fjInput) {
      box.fjStatus = element('p', 'fj-share-status', box);
      box.fjStatus.setAttribute('role', 'status');
      box.fjInput = field(box, 'input', texts().urlLabel);
    }
    box.fjInput.value = url;
    if (copied && copied.ok !== null && box.fjSaid !== copied) {
      box.fjSaid = copied; // said once per copy: a later redraw does not take the focus again
      say(box.fjStatus, copied.ok, box.fjInput);
    }
  }

  function fillEmbed(box) {
    const t = texts();
    const snippet = logic.embedSnippet(window.location.href, t.title || document.title, t.height);
    const opened = !box.fjInput; // drawn just now: the popover has opened
    if (opened) {
      box.fjInput = field(box, 'textarea', t.embedLabel);
      box.fjInput.rows = 4;
      const button = element('button', 'fj-share-copy', box);
      button.type = 'button';
      button.textContent = t.copyCode || '';
      box.fjStatus = element('p', 'fj-share-status', box);
      box.fjStatus.setAttribute('role', 'status');
      button.addEventListener('click', () => {
        copy(box.fjInput.value).then((ok) => say(box.fjStatus, ok, box.fjInput));
      });
    }
    box.fjInput.value = snippet;
    // the popover's content sits at the end of the page (a portal): Tab from its button would
    // not reach it, so the focus goes to the code (selected), and Tab on to its copy button
    if (opened) box.fjInput.focus({preventScroll: true});
  }

  function fillAll() {
    for (const box of document.querySelectorAll('.fj-share')) {
      if (box.dataset.kind === 'link') fillLink(box);
      else if (box.dataset.kind === 'embed') fillEmbed(box);
    }
  }

  // The popover's button: a click or Enter/Space (the browser turns them into a click). Copying
  // in the click itself keeps the browser's "user gesture" that the clipboard asks for.
  document.addEventListener(
    'click',
    (event) => {
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest(LINK_BUTTON)) {
        const url = logic.shareUrl(window.location.href);
        copied = {url, ok: null};
        copy(url).then((ok) => {
          if (copied?.url !== url) return;
          copied.ok = ok;
          fillAll();
        });
      }
      if (target?.closest(`${LINK_BUTTON}, ${EMBED_BUTTON}`)) requestAnimationFrame(fillAll);
    },
    true,
  );
  // a popover's content is drawn when it opens: fill it then
  new MutationObserver(() => {
    if (document.querySelector('.fj-share:not([data-filled])')) {
      for (const box of document.querySelectorAll('.fj-share:not([data-filled])')) box.dataset.filled = 'true';
      fillAll();
    }
  }).observe(document.body, {childList: true, subtree: true});
  fillAll();
})(
  (() => {
    'use strict';
    // parameters of the address that are not the view: the upload marker (this tab's own file,
    // fjchains/app/session.py) and Streamlit's embed switches
    const NOT_THE_VIEW = ['upload', 'embed', 'embed_options'];

    /** The query string `search` ("?a=1&b=2") without the parameters named in `names`; the
     * others kept as written (no re-encoding: "ll=25.1,118.6" stays as the address bar has it). */
    function withoutParams(search, names) {
      const kept = search
        .replace(/^\?/, '')
        .split('&')
        .filter((part) => {
          if (!part) return false;
          let name = part.split('=')[0];
          try {
            name = decodeURIComponent(name.replace(/\+/g, ' '));
          } catch (_e) {
            /* a malformed escape: compared as written */
          }
          return !names.includes(name.toLowerCase());
        });
      return kept.length ? `?${kept.join('&')}` : '';
    }

    /** The address to share for the page at `href`: the same page and view, without this
     * tab's upload marker or an embed switch. */
    function shareUrl(href) {
      const url = new URL(href);
      return `${url.origin}${url.pathname}${withoutParams(url.search, NOT_THE_VIEW)}`;
    }

    /** The embedded view's address: the shared one with embed=true. */
    function embedUrl(href) {
      const url = shareUrl(href);
      return `${url}${url.includes('?') ? '&' : '?'}embed=true`;
    }

    /** `text` safe inside a double-quoted HTML attribute. */
    function escapeAttr(text) {
      return String(text)
        .replace(/&/g, '&amp;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;')
        .replace(/\x3c/g, '&lt;')
        .replace(/>/g, '&gt;');
    }

    /** The iframe element that embeds the view at `href` in another page, `height` px tall. */
    function embedSnippet(href, title, height) {
      const tall = Number.isFinite(height) && height > 0 ? Math.round(height) : 820;
      return (
        `\x3ciframe src="${escapeAttr(embedUrl(href))}" title="${escapeAttr(title)}" ` +
        `width="100%" height="${tall}" style="border:0" loading="lazy">\x3c/iframe>`
      );
    }

    return {NOT_THE_VIEW, withoutParams, shareUrl, embedUrl, escapeAttr, embedSnippet};
  })(),
);
