// Skip links for keyboard users, first in the page's tab order: past the sidebar and the map,
// to the county details or the county table; and on a phone, where the open sidebar covers
// the map, a "Done" button at the sidebar's end that closes it. fjchains.app.panels.access
// sends this file in the page (fjchains/app/scripts.py) with the texts in fjchains.page.skip;
// it runs again on a language switch and only relabels.
(() => {
  window.fjchains = window.fjchains || {};
  const texts = window.fjchains.page?.skip || {};
  const seam = window.fjchains.seam; // Streamlit's DOM (static/js/seam.js)
  const targets = {detail: seam.key('detail_section'), table: seam.key('county_table')};
  Object.keys(targets).forEach((name, i) => {
    let link = document.getElementById(`fj-skip-${name}`);
    if (!link) {
      link = document.createElement('a');
      link.id = `fj-skip-${name}`;
      link.className = 'fj-skip';
      link.href = '#';
      link.addEventListener('click', (e) => {
        e.preventDefault();
        const target = seam.first(document, targets[name]);
        if (!target) return;
        target.setAttribute('tabindex', '-1');
        target.focus({preventScroll: true});
        target.scrollIntoView({block: 'start'});
      });
      const before = document.body.children[i] || null; // first and second in the body
      document.body.insertBefore(link, before);
    }
    link.textContent = texts[name] || '';
  });

  const content = seam.first(document, seam.SIDEBAR_CONTENT);
  if (content) {
    let done = document.getElementById('fj-sidebar-done');
    if (!done) {
      done = document.createElement('button');
      done.id = 'fj-sidebar-done';
      done.type = 'button';
      done.className = 'fj-sidebar-done'; // shown on narrow screens only (static/css/app.css)
      done.addEventListener('click', () => {
        const close = seam.first(document, seam.SIDEBAR_CLOSE);
        if (close) close.click();
      });
    }
    if (done.parentNode !== content) content.appendChild(done); // last, under the filters
    done.textContent = texts.done || '';
  }
})();
