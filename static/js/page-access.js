// Skip links for keyboard users, first in the page's tab order: past the sidebar and the map,
// to the county details or the county table; and on a phone, where the open sidebar covers
// the map, a "Done" button at the sidebar's end that closes it (fjchains.app.panels.access injects
// this file with the texts in window.fjSkipTexts; it runs again on a language switch and only
// relabels).
(function () {
  var texts = window.fjSkipTexts || {};
  var targets = {detail: '.st-key-detail_section', table: '.st-key-county_table'};
  var doc = window.parent && window.parent !== window ? window.parent.document : document;
  try { doc.body; } catch (e) { doc = document; }
  Object.keys(targets).forEach(function (name, i) {
    var link = doc.getElementById('fj-skip-' + name);
    if (!link) {
      link = doc.createElement('a');
      link.id = 'fj-skip-' + name;
      link.className = 'fj-skip';
      link.href = '#';
      link.addEventListener('click', function (e) {
        e.preventDefault();
        var target = doc.querySelector(targets[name]);
        if (!target) return;
        target.setAttribute('tabindex', '-1');
        target.focus({preventScroll: true});
        target.scrollIntoView({block: 'start'});
      });
      var before = doc.body.children[i] || null;  // first and second in the body
      doc.body.insertBefore(link, before);
    }
    link.textContent = texts[name] || '';
  });

  var content = doc.querySelector('[data-testid=stSidebarUserContent]');
  if (content) {
    var done = doc.getElementById('fj-sidebar-done');
    if (!done) {
      done = doc.createElement('button');
      done.id = 'fj-sidebar-done';
      done.type = 'button';
      done.className = 'fj-sidebar-done';  // shown on narrow screens only (static/css/app.css)
      done.addEventListener('click', function () {
        var close = doc.querySelector('[data-testid=stSidebarCollapseButton] button');
        if (close) close.click();
      });
    }
    if (done.parentNode !== content) content.appendChild(done);  // last, under the filters
    done.textContent = texts.done || '';
  }
})();
