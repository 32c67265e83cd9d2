// Unit tests of static/js/map-logic.js, the county map's rules that need no page
// (run by `make test-js`: node's own test runner, no browser).
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const logic = require('../../static/js/map-logic.js');
const views = require(path.join(__dirname, '..', 'fixtures', 'view_cases.json'));

const BLANK = '#e6e6e6';

test('a county takes its fill from the payload, and the blank fill without one', () => {
  const payload = {fill: {350582: '#08306b'}, sel: null, faded: []};
  assert.deepEqual(logic.countyStyle('350582', payload, BLANK), {
    fillColor: '#08306b',
    fillOpacity: 0.88,
    color: '#ffffff',
    weight: 0.8,
    opacity: 1,
  });
  assert.equal(logic.countyStyle('350181', payload, BLANK).fillColor, BLANK);
  assert.equal(logic.firstStyle(BLANK).fillColor, BLANK);
});

test('the selected county is outlined in black, a faded one is pale', () => {
  const payload = {fill: {}, sel: '350582', faded: ['350181']};
  const selected = logic.countyStyle('350582', payload, BLANK);
  assert.deepEqual([selected.color, selected.weight, selected.fillOpacity], ['#000000', 3, 0.88]);
  assert.equal(logic.countyStyle('350181', payload, BLANK).fillOpacity, 0.15);
  assert.equal(logic.countyStyle('350181', {fill: {}, sel: null}, BLANK).fillOpacity, 0.88); // no `faded`
});

test('hovering outlines a county, except the selected one', () => {
  const payload = {fill: {}, sel: '350582'};
  assert.deepEqual(logic.hoverStyle('350181', payload, true), {color: '#333', weight: 2});
  assert.deepEqual(logic.hoverStyle('350181', payload, false), {color: '#ffffff', weight: 0.8});
  assert.equal(logic.hoverStyle('350582', payload, true), null);
  assert.deepEqual(logic.hoverStyle('350582', null, true), {color: '#333', weight: 2}); // before any payload
});

test("tooltip lines: the payload's, else the map's, else the code; the name joins them", () => {
  const tips = {350582: ['晋江市', '泉州市']};
  assert.deepEqual(logic.tipLines('350582', null, tips), ['晋江市', '泉州市']);
  assert.deepEqual(logic.tipLines('350582', {350582: ['Jinjiang', 'GDP: 1']}, tips), ['Jinjiang', 'GDP: 1']);
  assert.deepEqual(logic.tipLines('350181', {350582: ['x']}, tips), ['350181']);
  assert.equal(logic.countyName('350582', undefined, tips), '晋江市, 泉州市');
});

for (const c of views.cases) {
  test(`the view z=${c.z} ll=${c.ll} is ${Object.keys(c.kept).length ? 'restored' : 'dropped'}, as the server does`, () => {
    const view = logic.parseView(c.z, c.ll, views.limits);
    if (!Object.keys(c.kept).length) {
      assert.equal(view, null);
      return;
    }
    // in the server's words (fjchains.geo.view.parse_view: zoom as %g, centre to 3 decimals)
    assert.deepEqual({z: String(view.z), ll: view.ll.map((v) => v.toFixed(3)).join(',')}, c.kept);
  });
}

test('the view in a query string: decoded, and of repeated keys the last counts', () => {
  const limits = views.limits;
  assert.deepEqual(logic.viewFromQuery('?z=9&ll=25.1%2C118.6', limits), {z: 9, ll: [25.1, 118.6]});
  assert.deepEqual(logic.viewFromQuery('?z=20&ll=1,1&z=9&ll=25.1,118.6', limits), {z: 9, ll: [25.1, 118.6]});
  assert.equal(logic.viewFromQuery('?z=+9&ll=25.1,118.6', limits), null); // '+' is a space in a query
  assert.equal(logic.viewFromQuery('?chain=food', limits), null);
});

test('the view goes into the address to the half zoom step and 3 decimals', () => {
  assert.deepEqual(logic.viewParams(9.26, 25.12345, 118.6), {z: '9.5', ll: '25.123,118.600'});
  assert.deepEqual(logic.viewParams(7, 25, 118), {z: '7', ll: '25.000,118.000'});
  const back = logic.viewParams(9.5, 25.12345, 118.6);
  assert.notEqual(logic.parseView(back.z, back.ll, views.limits), null); // what it writes, it restores
});

test('a tooltip past an edge moves back inside the map, the top-left edge winning', () => {
  const frame = {left: 0, top: 0, right: 400, bottom: 300};
  assert.deepEqual(logic.shiftInside({left: 10, top: 10, right: 100, bottom: 50}, frame, 2), [0, 0]);
  assert.deepEqual(logic.shiftInside({left: 350, top: 10, right: 450, bottom: 50}, frame, 2), [-52, 0]);
  assert.deepEqual(logic.shiftInside({left: -20, top: 280, right: 80, bottom: 320}, frame, 2), [22, -22]);
  assert.deepEqual(logic.shiftInside({left: -10, top: -10, right: 500, bottom: 400}, frame, 2), [12, 12]);
});

test('the phone layout is 640 px wide or less', () => {
  assert.equal(logic.narrow(640), true);
  assert.equal(logic.narrow(641), false);
});

// ---- issue 27: the legend's classes, county names, a finger's tap, the arrow keys -----------

test('a legend class is the counties of its colour; shown alone, it fades the others', () => {
  const payload = {fill: {350582: '#08306B', 350181: '#c6dbef'}, sel: null, faded: []};
  const all = ['350582', '350181', '350102'];
  assert.deepEqual(logic.classMembers('#08306b', all, payload, BLANK), ['350582']); // colours in any case
  assert.deepEqual(logic.classMembers(BLANK, all, payload, BLANK), ['350102']); // the blank class too
  assert.equal(logic.countyStyle('350582', payload, BLANK, '#08306b').fillOpacity, 0.88);
  assert.equal(logic.countyStyle('350181', payload, BLANK, '#08306b').fillOpacity, 0.15);
  assert.equal(logic.countyStyle('350181', payload, BLANK, null).fillOpacity, 0.88);
  assert.deepEqual(logic.classStyle(), {color: '#0b57d0', weight: 2.5});
});

test('a click shows one class alone, a second click on it shows them all; a restyle keeps it while it exists', () => {
  assert.equal(logic.toggleClass(null, '#08306b'), '#08306b');
  assert.equal(logic.toggleClass('#08306b', '#08306B'), null);
  assert.equal(logic.toggleClass('#08306b', '#c6dbef'), '#c6dbef');
  const items = [
    ['1', '#c6dbef'],
    ['2', '#08306b'],
  ];
  assert.equal(logic.keptClass('#08306b', items), '#08306b');
  assert.equal(logic.keptClass('#ff0000', items), null);
  assert.equal(logic.keptClass(null, items), null);
});

test('county names come from zoom 8 on', () => {
  assert.equal(logic.labelsShown(7.5), false);
  assert.equal(logic.labelsShown(8), true);
});

test('a name ranks by selection, then colour kept, then size', () => {
  const payload = {fill: {a: '#08306b', b: '#08306b'}, sel: 's', faded: ['f']};
  const rank = (id, area, only) => logic.labelRank(id, payload, BLANK, area, only);
  assert.ok(rank('s', 1) > rank('a', 5000)); // the selected county first, however small
  assert.ok(rank('a', 10) > rank('x', 5000)); // a named county before a blank one
  assert.ok(rank('x', 10) > rank('f', 5000)); // a faded one last
  assert.ok(rank('a', 5000) > rank('b', 10)); // then the larger
  assert.ok(rank('x', 10) > rank('a', 5000, '#ff0000')); // faded by the legend's choice too
  assert.ok(rank('x', 10) < rank('y', 20)); // before any payload: by size
  assert.ok(logic.labelRank('x', null, BLANK, 20) > logic.labelRank('y', null, BLANK, 10));
});

const box = (left, top, w = 40, h = 14) => ({left, top, right: left + w, bottom: top + h});

test('names never overlap: the greedy pick keeps the higher-ranked of two that would', () => {
  const labels = [
    {id: 'small', rank: 1, box: box(0, 0)},
    {id: 'big', rank: 5, box: box(20, 5)}, // overlaps small
    {id: 'apart', rank: 2, box: box(100, 0)},
    {id: 'near', rank: 3, box: box(141, 0)}, // 1 px from apart: inside the 2 px gap
  ];
  assert.deepEqual(logic.pickLabels(labels, 2), ['big', 'near']);
  assert.deepEqual(logic.pickLabels(labels, 0), ['big', 'near', 'apart']);
  assert.deepEqual(logic.pickLabels([], 2), []);
  // equal ranks: the order given
  assert.deepEqual(
    logic.pickLabels(
      [
        {id: 'p', rank: 1, box: box(0, 0)},
        {id: 'q', rank: 1, box: box(0, 0)},
      ],
      2,
    ),
    ['p'],
  );
  // whatever the input, no two kept boxes overlap
  const many = Array.from({length: 60}, (_, i) => ({
    id: i,
    rank: (i * 37) % 11,
    box: box((i * 53) % 300, (i * 29) % 200),
  }));
  const kept = logic.pickLabels(many, 2).map((id) => many[id].box);
  for (const a of kept) {
    for (const b of kept) {
      if (a === b) continue;
      assert.ok(a.right + 2 <= b.left || b.right + 2 <= a.left || a.bottom + 2 <= b.top || b.bottom + 2 <= a.top);
    }
  }
});

const pts = [
  {id: 'near', x: 110, y: 100},
  {id: 'far', x: 130, y: 100},
  {id: 'up', x: 100, y: 60},
];

test("an obstacle (the map's legend, ranked first) keeps names from under it", () => {
  const labels = [
    {id: 'under', rank: 9, box: box(10, 10)},
    {id: null, rank: Number.POSITIVE_INFINITY, box: box(0, 0, 100, 50)},
    {id: 'beside', rank: 1, box: box(120, 10)},
  ];
  assert.deepEqual(logic.pickLabels(labels, 2), [null, 'beside']);
});

test("a finger's tap: the nearest county point within its reach", () => {
  assert.equal(logic.nearestWithin({x: 100, y: 100}, pts, 22), 'near');
  assert.equal(logic.nearestWithin({x: 100, y: 100}, pts, 9), null);
  assert.equal(logic.nearestWithin({x: 100, y: 100}, [], 22), null);
  assert.equal(logic.REACH, 22);
});

test('a tap on a county as large as a finger is that county; on the sea or a tiny one, the nearest', () => {
  const tap = {x: 100, y: 100};
  assert.equal(logic.fingerPick(tap, {id: 'big', size: 44}, pts), 'big');
  assert.equal(logic.fingerPick(tap, {id: 'tiny', size: 12}, pts), 'near');
  assert.equal(logic.fingerPick(tap, null, pts), 'near');
  assert.equal(logic.fingerPick({x: 300, y: 300}, null, pts), null); // nothing within reach: nothing
  assert.equal(logic.fingerPick({x: 300, y: 300}, {id: 'tiny', size: 12}, pts), 'tiny'); // the hit one stays
});

test('an arrow key goes to the nearest county in its direction', () => {
  const from = {x: 100, y: 100};
  const around = [
    {id: 'east', x: 140, y: 105},
    {id: 'far-east', x: 200, y: 100},
    {id: 'north', x: 95, y: 50},
    {id: 'north-east-ish', x: 130, y: 60}, // nearer than north, but off the line
    {id: 'south-west', x: 60, y: 140},
  ];
  assert.equal(logic.step(from, 'ArrowRight', around), 'east');
  assert.equal(logic.step(from, 'ArrowUp', around), 'north');
  assert.equal(logic.step(from, 'ArrowDown', around), 'south-west'); // 45°: still downwards
  assert.equal(logic.step(from, 'ArrowLeft', around), 'south-west');
  assert.equal(logic.step(from, 'ArrowLeft', around.slice(0, 4)), null); // nothing to the left
  assert.equal(logic.step(from, 'Enter', around), null);
  assert.equal(logic.step(from, 'ArrowRight', [{id: 'steep', x: 110, y: 150}]), null); // 79° off: not right
});
