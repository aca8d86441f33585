/* planmap explorer, several documents: a document switcher in the reader, two documents side by
 * side, mentions per document in a place's popup, and attention compared per document.
 *
 * It plugs into planmap.js through two events: 'planmap:ready' hands over the explorer's state
 * (whose `doc` filter is the chosen documents, kept in the URL by planmap.js), its refresh and
 * its element builder;
 * 'planmap:popup' lets it add to a popup. With one document in the build it shows nothing.
 * Document titles and place names are data: inserted as text only.
 */
(function () {
  'use strict';

  // The strings this file shows, from the explorer's message catalogue (documents.*).
  function msg(key) { return window.PlanMap.t('documents.' + key); }

  var docs = [];
  var byId = {};
  var explorer = null;   // { state, refresh, el } from planmap.js

  function el(tag, attrs, children) {   // planmap.js's element builder (text only, never markup)
    return explorer.el(tag, attrs, children);
  }

  function short(doc) {
    return doc.title.length > 12 ? doc.title.slice(0, 12) + '…' : doc.title;
  }

  function chosen() {
    var picked = explorer.state.doc.filter(function (d) { return byId[d]; });
    return picked.length ? picked : [docs[0].id];
  }

  /* ---- the reader: one section per document ---- */

  function groupReader() {
    var text = document.getElementById('pm-text');
    text.classList.add('pm-docs');
    docs.forEach(function (d) {
      var section = el('section', { 'class': 'pm-doc', 'data-doc': d.id }, [el('h2', { 'class': 'pm-doc-title', text: d.title })]);
      text.querySelectorAll('.pm-para').forEach(function (p) {
        if (p.dataset.para.indexOf(d.id + ':') === 0) { section.appendChild(p); }
      });
      text.appendChild(section);
    });
  }

  function buildSwitcher() {
    var box = el('fieldset', { id: 'pm-docs' }, [el('legend', { text: msg('documents') }), el('small', { text: msg('compareHint') })]);
    docs.forEach(function (d) {
      var input = el('input', { type: 'checkbox', name: 'doc', value: d.id });
      input.addEventListener('change', function () {
        explorer.state.doc = Array.prototype.map.call(box.querySelectorAll('input:checked'), function (i) { return i.value; });
        show();
        explorer.refresh();
        compare();
      });
      box.appendChild(el('label', { title: d.title }, [input, ' ' + short(d)]));
    });
    var reader = document.getElementById('pm-reader');
    reader.insertBefore(box, reader.firstChild);
  }

  function show() {
    var picked = chosen();
    document.querySelectorAll('#pm-docs input').forEach(function (i) { i.checked = explorer.state.doc.indexOf(i.value) >= 0; });
    document.querySelectorAll('#pm-text .pm-doc').forEach(function (s) { s.hidden = picked.indexOf(s.dataset.doc) < 0; });
    document.body.classList.toggle('pm-comparing', picked.length > 1);
  }

  /* ---- the popup: mentions per document ---- */

  function decorate(box, f) {
    var counts = f.properties.docs || {};
    var line = el('p', { 'class': 'pm-doc-counts' }, [el('b', { text: msg('perDocument') + '：' })]);
    Object.keys(counts).forEach(function (id, i) {
      if (i) { line.appendChild(document.createTextNode(' · ')); }
      line.appendChild(el('span', { 'data-doc': id, title: byId[id] ? byId[id].title : id,
        text: (byId[id] ? short(byId[id]) : id) + ' ' + counts[id] + ' ' + msg('times') }));
    });
    box.insertBefore(line, box.querySelector('dl'));
    box.querySelectorAll('.pm-cite').forEach(function (li) {
      var id = li.dataset.para.split(':')[0];
      li.insertBefore(el('span', { 'class': 'pm-doc-tag', text: byId[id] ? short(byId[id]) : id }), li.firstChild);
    });
    // a source in a document the reader does not show: show it first (capture runs before planmap.js scrolls)
    box.addEventListener('click', function (ev) {
      var li = ev.target.closest('.pm-cite');
      var id = li && li.dataset.para.split(':')[0];
      if (id && chosen().indexOf(id) < 0) {
        explorer.state.doc = chosen().concat([id]);
        show();
        explorer.refresh();
        compare();
      }
    }, true);
  }

  /* ---- the overview: one column per chosen document, and the places only one names ---- */

  function compare() {
    var picked = chosen();
    var box = document.getElementById('pm-doc-compare');
    var q = new URLSearchParams();
    (picked.length > 1 ? picked : docs.map(function (d) { return d.id; })).forEach(function (d) { q.append('doc', d); });
    return fetch('/api/overview?' + q.toString()).then(function (r) { return r.json(); }).then(function (o) {
      box.textContent = '';
      var head = el('tr', {}, [el('th', { text: msg('district') })]);
      o.documents.forEach(function (d) { head.appendChild(el('th', { title: byId[d].title, text: short(byId[d]) })); });
      var table = el('table', { 'class': 'pm-doc-table' }, [el('thead', {}, [head])]);
      var body = el('tbody');
      o.districts.forEach(function (row) {
        var tr = el('tr', { 'data-district': row.id }, [el('th', { text: row.name })]);
        o.documents.forEach(function (d) { tr.appendChild(el('td', { 'data-doc': d, text: String(row.docs[d]) })); });
        body.appendChild(tr);
      });
      table.appendChild(body);
      box.appendChild(table);
      box.appendChild(el('p', { 'class': 'pm-popup-sub', text: msg('only') }));
      var list = el('dl', { 'class': 'pm-doc-only' });
      o.documents.forEach(function (d) {
        list.appendChild(el('dt', { text: short(byId[d]) }));
        var names = o.only[d].map(function (p) { return p.name; });
        list.appendChild(el('dd', { 'data-doc': d, text: names.length ? names.join('、') : msg('none') }));
      });
      box.appendChild(list);
    });
  }

  function addCompareBox() {
    var overview = document.getElementById('pm-panel-overview');
    overview.appendChild(el('p', { 'class': 'pm-popup-sub', text: msg('compare') }));
    overview.appendChild(el('div', { id: 'pm-doc-compare' }));
  }

  document.addEventListener('planmap:popup', function (ev) {
    if (docs.length > 1) { decorate(ev.detail.box, ev.detail.feature); }
  });

  document.addEventListener('planmap:ready', function (ev) {
    explorer = ev.detail;
    fetch('/api/documents').then(function (r) { return r.json(); }).then(function (body) {
      docs = body.documents;
      docs.forEach(function (d) { byId[d.id] = d; });
      if (docs.length < 2) { return null; }
      groupReader();
      buildSwitcher();
      addCompareBox();
      show();
      return compare();
    }).then(function () { document.body.dataset.docs = 'ready'; });
  });
}());
