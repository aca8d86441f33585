/* planmap explorer: the plan's text and its places, each pointing at the other.
 *
 * Everything the page shows comes from the JSON API (/api/...). Text from the plan and
 * names from the gazetteer are data: they are only ever put into the page with
 * textContent or text nodes, never as markup.
 */
(function () {
  'use strict';

  var FILTERS = ['belt', 'zone', 'industry', 'category', 'stage', 'action', 'doc'];  // stage, action: intent.js; doc: documents.js
  var state = { belt: [], zone: [], industry: [], category: [], stage: [], action: [], doc: [], q: '', within: '', bbox: '', sel: '' };
  var ctx = {};  // map, control, options, data and Leaflet layers

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'class') { node.className = attrs[k]; } else if (k === 'text') { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(body.error || r.statusText); }
        return body;
      });
    });
  }

  function query(extra) {
    var p = new URLSearchParams();
    FILTERS.forEach(function (f) { state[f].forEach(function (v) { p.append(f, v); }); });
    if (state.q) { p.set('q', state.q); }
    Object.keys(extra || {}).forEach(function (k) { if (extra[k]) { p.set(k, extra[k]); } });
    return p;
  }

  /* ---- URL state: filters, area, selection and view survive a reload or a shared link ---- */

  function readURL() {
    var p = new URLSearchParams(window.location.search);
    FILTERS.forEach(function (f) { state[f] = p.getAll(f); });
    ['q', 'within', 'bbox', 'sel'].forEach(function (k) { state[k] = p.get(k) || ''; });
    var view = (p.get('view') || '').split(',').map(Number);
    return view.length === 3 && view.every(isFinite) ? view : null;
  }

  function writeURL() {
    var c = ctx.map.getCenter();
    var extra = { within: state.within, bbox: state.bbox, sel: state.sel,
      view: [c.lat.toFixed(5), c.lng.toFixed(5), ctx.map.getZoom()].join(',') };
    history.replaceState(null, '', '?' + query(extra).toString());
    var link = document.getElementById('pm-export-link');
    var fmt = document.getElementById('pm-export-format').value;
    link.href = '/api/export?' + query({ format: fmt }).toString();
  }

  /* ---- map layers ---- */

  function colour(category) { return ctx.options.colours[category] || '#555'; }

  function styleOf(f) {
    var p = f.properties;
    var loose = ctx.options.loose_precision.indexOf(p.precision) >= 0;
    var fill = { admin: 0.03, region: 0.03, structure: 0.12, zone: 0.08 }[p.category];
    return {
      color: colour(p.category), weight: p.category === 'road' || p.category === 'rail' ? 3 : 2,
      dashArray: loose ? ctx.options.loose_dash : null, fillOpacity: fill === undefined ? 0.25 : fill, opacity: 0.9,
      className: 'pm-f pm-f-' + f.id
    };
  }

  function addFeatures(features) {
    ctx.layers = {};
    ctx.groups = {};
    ctx.options.categories.forEach(function (cat) {
      ctx.groups[cat.key] = L.featureGroup();
      if (cat.show) { ctx.groups[cat.key].addTo(ctx.map); }
      ctx.control.addOverlay(ctx.groups[cat.key], legendLabel(cat));
    });
    drawOrder(features).forEach(function (f) {
      var layer = L.geoJSON(f, {
        style: function () { return styleOf(f); },
        pointToLayer: function (feat, latlng) {
          return L.circleMarker(latlng, Object.assign(styleOf(f), { radius: 6, fillOpacity: 0.8 }));
        }
      });
      layer.bindTooltip(el('span', { text: f.properties.name }), { sticky: true });
      layer.bindPopup(function () { return popup(f); }, { maxWidth: 360, maxHeight: 320 });
      layer.on('click', function () { select(f.id, { fly: false, scroll: false }); });
      ctx.layers[f.id] = layer;
      ctx.groups[f.properties.category].addLayer(layer);
    });
  }

  // Larger areas first, then lines, then points: a place known only to lie in a town is that
  // town's area, and a smaller area inside a larger one must stay on top to be clickable.
  function drawOrder(features) {
    function size(f) {
      var t = f.geometry.type;
      if (t.indexOf('Polygon') < 0) { return t.indexOf('Point') < 0 ? -1 : -2; }
      var b = L.geoJSON(f).getBounds();
      return (b.getEast() - b.getWest()) * (b.getNorth() - b.getSouth());
    }
    var sizes = {};
    features.forEach(function (f) { sizes[f.id] = size(f); });
    return features.slice().sort(function (a, b) { return sizes[b.id] - sizes[a.id]; });
  }

  function legendLabel(cat) {
    // the layer control's labels are HTML: built here from our own constant labels only
    var swatch = '<span class="pm-swatch" style="background:' + colour(cat.key) + '"></span>';
    return swatch + cat.label;
  }

  function addBasemap(fc) {
    ctx.basemap = L.geoJSON(fc, {
      style: function (f) {
        var river = f.properties.category === 'river';
        return { color: river ? '#4a90c8' : '#777', weight: river ? 1 : 0.8, fillColor: river ? '#a8d0ee' : '#f4f1ea',
          fillOpacity: river ? 0.7 : (f.id === 'admin-321100' ? 0 : 0.6), interactive: false };
      }
    }).addTo(ctx.map);
    ctx.basemap.bringToBack();
    ctx.control.addOverlay(ctx.basemap, '底图：行政区、长江、运河');
  }

  /* ---- the reader ---- */

  var KIND_TAG = { title: 'h2', section: 'h3', date: 'p', source: 'p' };

  function renderReader(paragraphs) {
    var spans = {};
    ctx.features.forEach(function (f) {
      f.properties.sources.forEach(function (s) {
        (spans[s.paragraph] = spans[s.paragraph] || []).push({ start: s.start, end: s.end, place: f.id });
      });
    });
    ctx.unresolved.forEach(function (u) {
      (spans[u.paragraph] = spans[u.paragraph] || []).push({ start: u.start, end: u.end, unresolved: u.reason });
    });
    var text = document.getElementById('pm-text');
    text.textContent = '';
    paragraphs.forEach(function (p) {
      var node = el(KIND_TAG[p.kind] || 'p', { id: 'para-' + p.id, 'class': 'pm-para pm-' + p.kind, 'data-para': p.id });
      var marks = (spans[p.id] || []).sort(function (a, b) { return a.start - b.start; });
      var at = p.start;
      marks.forEach(function (m) {
        if (m.start < at) { return; }
        node.appendChild(document.createTextNode(p.text.slice(at - p.start, m.start - p.start)));
        var surface = p.text.slice(m.start - p.start, m.end - p.start);
        if (m.unresolved) {
          node.appendChild(el('span', { 'class': 'pm-unresolved', title: '未能定位：' + m.unresolved, text: surface }));
        } else {
          node.appendChild(el('mark', { 'class': 'pm-place', 'data-place': m.place, tabindex: '0', text: surface }));
        }
        at = m.end;
      });
      node.appendChild(document.createTextNode(p.text.slice(at - p.start)));
      text.appendChild(node);
    });
    text.addEventListener('click', function (ev) {
      var mark = ev.target.closest('mark.pm-place');
      if (mark) { select(mark.dataset.place, { fly: true, scroll: false, popup: true }); }
    });
    text.addEventListener('keydown', function (ev) {
      var mark = ev.target.closest('mark.pm-place');
      if (mark && ev.key === 'Enter') { select(mark.dataset.place, { fly: true, scroll: false, popup: true }); }
    });
  }

  function paragraphLabel(pid) {
    var p = ctx.paragraphs[pid];
    if (!p) { return pid; }
    if (p.item) { return '第' + p.item + '条' + (p.kind === 'sub' ? '（续）' : ''); }
    return { title: '标题', preamble: '序言', intro: '导语', closing: '结语', section: '章节' }[p.kind] || pid;
  }

  function scrollToParagraph(pid, place) {
    var node = document.getElementById('para-' + pid);
    if (!node) { return; }
    node.scrollIntoView({ block: 'center' });
    node.classList.add('pm-flash');
    setTimeout(function () { node.classList.remove('pm-flash'); }, 1500);
    if (place) {
      node.querySelectorAll('mark.pm-place').forEach(function (m) {
        m.classList.toggle('pm-current', m.dataset.place === place);
      });
    }
  }

  /* ---- selection: feature ↔ text ---- */

  function popup(f) {
    var p = f.properties;
    var box = el('div', { 'class': 'pm-popup', 'data-feature': f.id });
    box.appendChild(el('h4', { text: p.name }));
    var cat = ctx.options.categories.filter(function (c) { return c.key === p.category; })[0];
    var facts = el('dl');
    function fact(k, v) { if (v) { facts.appendChild(el('dt', { text: k })); facts.appendChild(el('dd', { text: v })); } }
    fact('类别', cat ? cat.label : p.category);
    fact('别名', p.aliases.join('、'));
    fact('发展带', p.belts.map(function (b) { return ctx.options.belt_labels[b] || b; }).join('、'));
    fact('片区', p.zones.map(function (z) { return ctx.options.zone_labels[z] || z; }).join('、'));
    fact('产业', p.industries.join('、'));
    fact('定位精度', p.precision_label + '（约 ' + p.precision_m + ' 米）');
    fact('坐标来源', p.geo_source);
    var pages = (p.source_url || []).filter(function (u) { return /^https?:\/\//.test(u); });
    if (pages.length) {  // where the coordinate was read, for a reviewer to open
      var links = el('dd');
      pages.forEach(function (u, i) {
        if (i) { links.appendChild(document.createTextNode('；')); }
        links.appendChild(el('a', { 'class': 'pm-source-url', href: u, target: '_blank', rel: 'noopener noreferrer',
          text: (p.source_title || [])[p.source_url.indexOf(u)] || u }));
      });
      facts.appendChild(el('dt', { text: '来源网页' }));
      facts.appendChild(links);
    }
    box.appendChild(facts);
    if (cat && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon')) {
      var area = el('button', { type: 'button', 'class': 'pm-within', text: '只看提及此区域内地点的段落' });
      area.addEventListener('click', function () { setArea({ within: f.id }); });
      box.appendChild(area);
    }
    box.appendChild(el('h5', { text: '提及段落（' + p.sources.length + '）' }));
    var list = el('ol', { 'class': 'pm-sources' });
    p.sources.forEach(function (s) {
      var q = s.quote;
      var item = el('li', { 'class': 'pm-source', 'data-para': s.paragraph, tabindex: '0' }, [
        el('b', { text: paragraphLabel(s.paragraph) + '：' }),
        q.slice(0, s.quote_offset),
        el('mark', { text: q.slice(s.quote_offset, s.quote_offset + s.surface.length) }),
        q.slice(s.quote_offset + s.surface.length)
      ]);
      item.addEventListener('click', function () { scrollToParagraph(s.paragraph, f.id); });
      list.appendChild(item);
    });
    box.appendChild(list);
    document.dispatchEvent(new CustomEvent('planmap:popup', { detail: { box: box, feature: f } }));  // documents.js
    return box;
  }

  function select(fid, how) {
    var layer = ctx.layers[fid];
    if (!layer) { return; }
    if (ctx.selected && ctx.layers[ctx.selected]) {
      ctx.layers[ctx.selected].setStyle(styleOf(ctx.byId[ctx.selected]));
    }
    ctx.selected = fid;
    state.sel = fid;
    layer.setStyle({ weight: 6, color: '#e8175d', fillOpacity: 0.45 });
    layer.bringToFront();
    var f = ctx.byId[fid];
    var group = ctx.groups[f.properties.category];
    if (!ctx.map.hasLayer(group)) { group.addTo(ctx.map); }
    if (!group.hasLayer(layer)) { group.addLayer(layer); }
    if (how.fly) {
      var bounds = layer.getBounds();
      if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
        ctx.map.flyTo(bounds.getCenter(), Math.max(ctx.map.getZoom(), 12), { duration: 0.6 });
      } else {
        ctx.map.flyToBounds(bounds, { maxZoom: 13, duration: 0.6, padding: [20, 20] });
      }
    }
    if (how.popup) { layer.openPopup(layer.getBounds().getCenter()); }
    document.querySelectorAll('mark.pm-place').forEach(function (m) {
      m.classList.toggle('pm-current', m.dataset.place === fid);
    });
    writeURL();
  }

  /* ---- filters, search and areas ---- */

  function buildFilterControls() {
    var box = document.getElementById('pm-filter-groups');
    ctx.options.filters.forEach(function (group) {
      var fs = el('fieldset', { 'data-filter': group.key }, [el('legend', { text: group.label })]);
      group.values.forEach(function (v) {
        var input = el('input', { type: 'checkbox', name: group.key, value: v.key });
        input.checked = state[group.key].indexOf(v.key) >= 0;
        input.addEventListener('change', function () {
          state[group.key] = Array.prototype.map.call(
            box.querySelectorAll('input[name="' + group.key + '"]:checked'), function (i) { return i.value; });
          refresh();
        });
        fs.appendChild(el('label', {}, [input, v.label]));
      });
      box.appendChild(fs);
    });
    document.getElementById('pm-clear-filters').addEventListener('click', function () {
      FILTERS.forEach(function (f) { state[f] = []; });
      box.querySelectorAll('input:checked').forEach(function (i) { i.checked = false; });
      refresh();
    });
    var q = document.getElementById('pm-q');
    q.value = state.q;
    document.getElementById('pm-search').addEventListener('submit', function (ev) { ev.preventDefault(); });
    q.addEventListener('input', function () {
      clearTimeout(ctx.searchTimer);
      ctx.searchTimer = setTimeout(function () { state.q = q.value.trim(); refresh(); }, 200);
    });
    document.getElementById('pm-export-format').addEventListener('change', writeURL);
    document.getElementById('pm-area-clear').addEventListener('click', function () { setArea({}); });
  }

  function refresh() {
    var counter = document.getElementById('pm-filter-count');
    var active = FILTERS.reduce(function (n, f) { return n + state[f].length; }, 0);
    counter.textContent = active ? '（' + active + '）' : '';
    var q = query().toString();
    var features = q ? getJSON('/api/features?' + q) : Promise.resolve({ features: ctx.features, numberMatched: ctx.features.length });
    return features.then(function (fc) {
      var visible = {};
      fc.features.forEach(function (f) { visible[f.id] = true; });
      Object.keys(ctx.layers).forEach(function (id) {
        var group = ctx.groups[ctx.byId[id].properties.category];
        if (visible[id]) { group.addLayer(ctx.layers[id]); } else { group.removeLayer(ctx.layers[id]); }
      });
      var filtered = active > 0 || state.q;
      document.querySelectorAll('mark.pm-place').forEach(function (m) {
        m.classList.toggle('pm-hidden', !visible[m.dataset.place]);
      });
      document.querySelectorAll('.pm-para').forEach(function (p) {
        p.classList.toggle('pm-dim', !!filtered && !p.querySelector('mark.pm-place:not(.pm-hidden)'));
      });
      document.getElementById('pm-count').textContent = fc.numberMatched + ' / ' + ctx.features.length + ' 个地点';
      document.body.dataset.visible = String(fc.numberMatched);
      writeURL();
      return overview();
    }).catch(function (err) {
      document.getElementById('pm-count').textContent = '错误：' + err.message;
    });
  }

  function setArea(area) {
    state.within = area.within || '';
    state.bbox = area.bbox || '';
    if (ctx.rectangle) { ctx.map.removeLayer(ctx.rectangle); ctx.rectangle = null; }
    var banner = document.getElementById('pm-area');
    var paras = document.querySelectorAll('.pm-para');
    if (!state.within && !state.bbox) {
      banner.hidden = true;
      paras.forEach(function (p) { p.hidden = false; delete p.dataset.count; });
      writeURL();
      return Promise.resolve();
    }
    if (state.bbox) {
      var b = state.bbox.split(',').map(Number);
      ctx.rectangle = L.rectangle([[b[1], b[0]], [b[3], b[2]]], { color: '#e8175d', weight: 2, fill: false, dashArray: '4 4', interactive: false }).addTo(ctx.map);
    }
    return getJSON('/api/paragraphs?' + new URLSearchParams(state.within ? { within: state.within } : { bbox: state.bbox }).toString())
      .then(function (body) {
        var counts = {};
        body.paragraphs.forEach(function (p) { counts[p.id] = p.mentions; });
        paras.forEach(function (p) {
          var n = counts[p.dataset.para];
          p.hidden = !n;
          if (n) { p.dataset.count = n + ' 处'; } else { delete p.dataset.count; }
        });
        var name = state.within ? (body.area.name || state.within) : '所画范围';
        document.getElementById('pm-area-label').textContent =
          name + '：' + body.paragraphs.length + ' 段提及其中 ' + body.places.length + ' 个地点';
        banner.hidden = false;
        writeURL();
      }).catch(function (err) {
        document.getElementById('pm-area-label').textContent = '错误：' + err.message;
        banner.hidden = false;
      });
  }

  function addRectangleTool() {
    var Tool = L.Control.extend({
      options: { position: 'topleft' },
      onAdd: function () {
        var button = el('a', { href: '#', role: 'button', title: '画一个矩形，查看规划对其中地点说了什么', 'class': 'pm-rect-tool', text: '▭' });
        L.DomEvent.on(button, 'click', function (ev) {
          L.DomEvent.preventDefault(ev);
          new L.Draw.Rectangle(ctx.map, { shapeOptions: { color: '#e8175d' } }).enable();
        });
        return el('div', { 'class': 'leaflet-bar' }, [button]);
      }
    });
    new Tool().addTo(ctx.map);
    ctx.map.on(L.Draw.Event.CREATED, function (ev) {
      var b = ev.layer.getBounds();
      setArea({ bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) { return x.toFixed(5); }).join(',') });
    });
  }

  /* ---- overview: where the plan puts its attention ---- */

  function bars(id, title, rows) {
    var box = document.getElementById(id);
    box.textContent = '';
    box.appendChild(el('h6', { text: title }));
    var max = Math.max.apply(null, rows.map(function (r) { return r.value; }).concat([1]));
    rows.forEach(function (r) {
      var bar = el('span', { 'class': 'pm-bar' });
      bar.style.width = (100 * r.value / max).toFixed(1) + '%';
      var row = el('div', { 'class': 'pm-row', title: r.label + '：' + r.value }, [
        el('span', { 'class': 'pm-label', text: r.label }), el('span', { 'class': 'pm-track' }, [bar]),
        el('span', { 'class': 'pm-value', text: String(r.value) })]);
      if (r.within) {  // a district: ask the reader about it, as a feature's popup does
        row.classList.add('pm-row-area');
        row.dataset.within = r.within;
        row.addEventListener('click', function () { setArea({ within: r.within }); });
      }
      box.appendChild(row);
    });
  }

  function overview() {
    return getJSON('/api/overview?' + query().toString()).then(function (o) {
      bars('pm-chart-districts', '按区县', o.districts.map(function (d) { return { label: d.name, value: d.mentions, within: d.id }; }));
      bars('pm-chart-belts', '按发展带', o.belts.map(function (d) { return { label: ctx.options.belt_labels[d.key], value: d.mentions }; }));
      bars('pm-chart-industries', '按产业', o.industries.filter(function (d) { return d.mentions; }).slice(0, 8)
        .map(function (d) { return { label: d.key, value: d.mentions }; }));
      var max = Math.max.apply(null, o.districts.map(function (d) { return d.mentions; }).concat([1]));
      var density = {};
      o.districts.forEach(function (d) { density[d.id] = d.mentions / max; });
      ctx.basemap.eachLayer(function (layer) {
        var d = density[layer.feature.id];
        if (d !== undefined) { layer.setStyle({ fillColor: '#b3541e', fillOpacity: 0.08 + 0.5 * d }); }
      });
    });
  }

  /* ---- start ---- */

  window.PlanMap = {
    el: el,            // shared with the page's other scripts (intent.js)
    getJSON: getJSON,
    paragraphLabel: paragraphLabel,
    init: function (map, control, options) {
      ctx.map = map;
      ctx.control = control;
      ctx.options = options;
      var view = readURL();
      map.attributionControl.addAttribution(options.attribution);
      buildFilterControls();
      addRectangleTool();
      return Promise.all([getJSON('/api/basemap'), getJSON('/api/features'), getJSON('/api/paragraphs'), getJSON('/api/unresolved')])
        .then(function (r) {
          ctx.features = r[1].features;
          ctx.byId = {};
          ctx.features.forEach(function (f) { ctx.byId[f.id] = f; });
          ctx.paragraphs = {};
          r[2].paragraphs.forEach(function (p) { ctx.paragraphs[p.id] = p; });
          ctx.unresolved = r[3];
          addBasemap(r[0]);
          addFeatures(ctx.features);
          renderReader(r[2].paragraphs);
          if (view) { map.setView([view[0], view[1]], view[2]); } else { map.fitBounds(ctx.basemap.getBounds()); }
          map.on('moveend', writeURL);
          return refresh();
        })
        .then(function () { return (state.within || state.bbox) ? setArea({ within: state.within, bbox: state.bbox }) : null; })
        .then(function () {
          if (state.sel && ctx.layers[state.sel]) { select(state.sel, { fly: !view, scroll: false }); }
          document.dispatchEvent(new CustomEvent('planmap:ready', { detail: { state: state, refresh: refresh, el: el } }));
          document.body.dataset.ready = 'true';
        })
        .catch(function (err) {
          document.getElementById('pm-text').textContent = '加载失败：' + err.message;
        });
    }
  };
}());
