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
