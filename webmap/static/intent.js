/* planmap · what the plan wants at each place: stage and action filters, a popup section listing per
 * paragraph what the plan wants there, and where the plan builds, upgrades, connects and protects.
 *
 * Plugs into planmap.js from outside (whose filter panel has the stage and action groups, from the
 * server's filter table): it wraps PlanMap.init, listens to Leaflet's popupopen, and redraws
 * its overview table whenever planmap.js marks a refresh on <body data-visible>; it uses planmap.js's
 * el, getJSON, paragraphLabel and t (exposed on window.PlanMap). Every word comes from the message
 * catalogue (stage.*, action.*, intent.*). Its overview table is fetched only while the overview panel
 * is open: nothing of it stands between the page and its first view. Plan text is only ever inserted as text.
 */
(function () {
  'use strict';

  // the page's words, from the explorer's message catalogue
  function T(key) { return window.PlanMap.t('intent.' + key); }
  // the actions the overview table shows, as the plan's main verbs of place.
  var TABLE_ACTIONS = ['build', 'upgrade', 'connect', 'protect'];
  var FILTER_KEYS = ['belt', 'zone', 'industry', 'category', 'stage', 'action', 'q'];
  var ctx = {};

  // a stage's or an action's label: stage.done, action.protect … (the same words as geo/intent.py's)
  function label(kind, key) { return window.PlanMap.t(kind + '.' + key); }

  var el = window.PlanMap.el;
  var getJSON = window.PlanMap.getJSON;

  /* ---- popup: per paragraph, what the plan wants at this place ---- */

  function intentSection(feature) {
    var byParagraph = [];
    var index = {};
    feature.properties.sources.forEach(function (s) {
      var row = index[s.paragraph];
      if (!row) {
        row = index[s.paragraph] = { label: window.PlanMap.paragraphLabel(s.paragraph), verbs: [], actions: [], stages: [] };
        byParagraph.push(row);
      }
      if (s.verb && row.verbs.indexOf(s.verb) < 0) { row.verbs.push(s.verb); }
      (s.actions || []).forEach(function (a) { if (row.actions.indexOf(a) < 0) { row.actions.push(a); } });
      if (s.stage && row.stages.indexOf(s.stage) < 0) { row.stages.push(s.stage); }
    });
    var list = el('ol', { 'class': 'pm-intent-list' });
    byParagraph.forEach(function (row) {
      var what = row.actions.length
        ? row.actions.map(function (a) { return label('action', a); }).join('、')
        : T('noAction');
      var stage = row.stages.map(function (s) { return label('stage', s); }).join('、');
      var item = el('li', { 'class': 'pm-intent', 'data-actions': row.actions.join(' ') }, [
        el('b', { text: row.label }), ' · ',
        el('span', { 'class': 'pm-intent-verb', text: row.verbs.join('、') || '—' }), '：',
        el('span', { 'class': 'pm-intent-actions', text: what }),
        el('span', { 'class': 'pm-intent-stage', text: '（' + stage + '）' })
      ]);
      list.appendChild(item);
    });
    return el('section', { 'class': 'pm-intent-section' }, [el('p', { 'class': 'pm-popup-sub', text: T('popupTitle') }), list]);
  }

  function onPopup(ev) {
    var root = ev.popup.getElement();
    var box = root && root.querySelector('.pm-popup');
    if (!box || box.querySelector('.pm-intent-section')) { return; }
    getJSON('/api/features/' + encodeURIComponent(box.dataset.feature) + '?detail=first').then(function (feature) {
      if (box.querySelector('.pm-intent-section')) { return; }
      // not popup.update(): it would call planmap.js's content function again and drop this section
      box.appendChild(intentSection(feature));
    });
  }

  /* ---- overview: where the plan builds, upgrades, connects and protects ---- */

  function currentFilters() {
    var p = new URLSearchParams(window.location.search);
    var out = new URLSearchParams();
    FILTER_KEYS.forEach(function (k) { p.getAll(k).forEach(function (v) { out.append(k, v); }); });
    return out.toString();
  }

  function drawTable(o) {
    var box = ctx.table;
    box.textContent = '';
    var byKey = {};
    o.actions.forEach(function (a) { byKey[a.key] = a; });
    // the rows are districts, then belts: the corner cell names both (an empty header cell says nothing)
    var head = el('tr', {}, [el('th', { scope: 'col', text: T('district') + ' / ' + T('belt') })].concat(TABLE_ACTIONS.map(function (a) {
      return el('th', { scope: 'col', text: label('action', a) });
    })));
    var rows = [];
    o.districts.forEach(function (d) {
      rows.push({ label: d.name, kind: T('district'), counts: TABLE_ACTIONS.map(function (a) {
        return byKey[a].districts.filter(function (x) { return x.id === d.id; })[0].mentions;
      }) });
    });
    o.belts.forEach(function (b) {
      rows.push({ label: window.PlanMap.t('belt.' + b.key), kind: T('belt'), counts: TABLE_ACTIONS.map(function (a) {
        return byKey[a].belts.filter(function (x) { return x.key === b.key; })[0].mentions;
      }) });
    });
    var max = TABLE_ACTIONS.map(function (_, i) {
      return Math.max.apply(null, rows.map(function (r) { return r.counts[i]; }).concat([1]));
    });
    var body = el('tbody');
    rows.forEach(function (r) {
      body.appendChild(el('tr', { title: r.kind }, [el('th', { scope: 'row', text: r.label })].concat(r.counts.map(function (n, i) {
        var cell = el('td', { 'data-action': TABLE_ACTIONS[i], text: String(n) });
        cell.style.setProperty('--pm-share', (n / max[i]).toFixed(2));
        return cell;
      }))));
    });
    box.appendChild(el('table', { 'class': 'pm-intent-table' }, [el('thead', {}, [head]), body]));
  }

  function redraw() {
    var panel = document.getElementById('pm-panel-overview');
    if (!panel || panel.hidden) { return Promise.resolve(); }
    return getJSON('/api/overview?' + currentFilters()).then(drawTable).catch(function (err) {
      ctx.table.textContent = err.message;
    });
  }

  function addOverview() {
    var aside = document.getElementById('pm-panel-overview');
    if (!aside) { return; }
    ctx.table = el('div', { 'class': 'pm-chart', id: 'pm-chart-intent' });
    aside.appendChild(el('details', { open: '', 'class': 'pm-intent-overview' }, [el('summary', { text: T('overviewTitle') }), ctx.table]));
    new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ['data-visible'] });
    new MutationObserver(redraw).observe(aside, { attributes: true, attributeFilter: ['hidden'] });
  }

  /* ---- start: before planmap.js builds its filters ---- */

  var init = window.PlanMap.init;
  window.PlanMap.init = function (map, tiles, options) {
    map.on('popupopen', onPopup);
    addOverview();
    return init(map, tiles, options);
  };
}());
