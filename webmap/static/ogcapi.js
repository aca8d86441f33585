// The OGC API's HTML pages (templates/ogcapi.html): draws the page's features, which it
// reads from a JSON data block, so that no inline script is needed (the app's CSP forbids them).
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("ogc-data").textContent);
  const map = L.map("map");
  const layer = L.geoJSON(data, {
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, {radius: 6}),
    onEachFeature: (feature, shape) =>
      shape.bindPopup(document.createTextNode(feature.properties.name || feature.id)),
  }).addTo(map);
  if (layer.getLayers().length) map.fitBounds(layer.getBounds(), {maxZoom: 13});
  else document.getElementById("map").remove();
})();
