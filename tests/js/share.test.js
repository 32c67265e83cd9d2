// Unit tests of static/js/share.js's rules that need no page: the address to share, the embedded
// view's address, and the <iframe> snippet with its escaping (run by `make test-js`).
const test = require('node:test');
const assert = require('node:assert/strict');
const share = require('../../static/js/share.js');

const VIEW = 'http://127.0.0.1:8501/explorer?chain=food&chain=lithium_battery&county=350582&z=9&ll=25.1,118.6';

test('the shared address is the page and its view, as the address bar writes it', () => {
  assert.equal(share.shareUrl(VIEW), VIEW); // ll keeps its comma: no re-encoding
  assert.equal(
    share.shareUrl('https://example.org/fujian/chains?chain=food#top'),
    'https://example.org/fujian/chains?chain=food',
  );
  assert.equal(share.shareUrl('http://127.0.0.1:8501/'), 'http://127.0.0.1:8501/');
});

test("this tab's upload marker and Streamlit's embed switches are not part of the view", () => {
  assert.equal(share.shareUrl('http://h/?upload=1&chain=food'), 'http://h/?chain=food');
  assert.equal(
    share.shareUrl('http://h/explorer?chain=food&embed=true&embed_options=dark_theme'),
    'http://h/explorer?chain=food',
  );
  assert.equal(share.shareUrl('http://h/?EMBED=true&upload=1'), 'http://h/');
  assert.equal(share.shareUrl('http://h/?uploaded=2'), 'http://h/?uploaded=2'); // only the exact names
});

test('the embedded view is the shared one with embed=true, once', () => {
  assert.equal(share.embedUrl(VIEW), `${VIEW}&embed=true`);
  assert.equal(share.embedUrl('http://h/chains'), 'http://h/chains?embed=true');
  assert.equal(share.embedUrl('http://h/?embed=true&lang=en'), 'http://h/?lang=en&embed=true');
});

test('an address and a title are escaped for a double-quoted attribute', () => {
  assert.equal(share.escapeAttr('a&b"c\'d<e>f'), 'a&amp;b&quot;c&#39;d&lt;e&gt;f');
  assert.equal(share.escapeAttr('福建县域重点产业链地图'), '福建县域重点产业链地图');
});

test('the snippet is an iframe of the embedded view, its & written as &amp;', () => {
  const snippet = share.embedSnippet('http://h/explorer?chain=food&county=350582', 'Map "A" <b>', 820);
  assert.equal(
    snippet,
    '<iframe src="http://h/explorer?chain=food&amp;county=350582&amp;embed=true" title="Map &quot;A&quot; &lt;b&gt;" ' +
      'width="100%" height="820" style="border:0" loading="lazy"></iframe>',
  );
  assert.match(share.embedSnippet('http://h/', 't', Number.NaN), /height="820"/); // a height of its own
});

test('a quote in the address cannot end the src attribute', () => {
  const snippet = share.embedSnippet('http://h/?chain=x"onload="alert(1)', 't', 600);
  assert.ok(!snippet.includes('"onload'), snippet);
  assert.match(snippet, /^<iframe src="[^"]*" title="t"/);
});
