// Skip links for keyboard users, first in the page's tab order: past the sidebar and the map,
// to the county details or the county table (fjchains.app.access injects this file with the
// link texts in window.fjSkipTexts; it runs again on a language switch and only relabels).
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
})();
