/* Cluster graphs: every <figure data-graph="id"> holds a JSON data block with the same id
   ({"nodes": [{id, label, kind, weight}], "edges": [[from id, to id]]}) and becomes an SVG
   drawing: accounts as circles, shared identifiers as squares, an edge where an account used
   an identifier. The layout is a small force simulation (Fruchterman–Reingold) started from a
   circle, so the same cluster is always drawn the same way. No style attributes: the security
   policy forbids them; classes carry the look (static/portal/workbench.css). */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var HEIGHT = 460;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function layout(nodes, edges, width, height) {
    var n = nodes.length, k = Math.sqrt((width * height) / Math.max(n, 1)) * 0.8;
    var index = {};
    nodes.forEach(function (node, i) {
      index[node.id] = i;
      var angle = (2 * Math.PI * i) / Math.max(n, 1);
      node.x = width / 2 + (width / 3) * Math.cos(angle);
      node.y = height / 2 + (height / 3) * Math.sin(angle);
    });
    var links = edges.filter(function (e) { return e[0] in index && e[1] in index; })
      .map(function (e) { return [index[e[0]], index[e[1]]]; });
    var rounds = n > 200 ? 120 : 250, temperature = width / 8;
    for (var round = 0; round < rounds; round++) {
      var dx = new Float64Array(n), dy = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var x = nodes[i].x - nodes[j].x, y = nodes[i].y - nodes[j].y;
          var d2 = Math.max(x * x + y * y, 0.01), push = (k * k) / d2;
          dx[i] += x * push; dy[i] += y * push; dx[j] -= x * push; dy[j] -= y * push;
        }
      }
      links.forEach(function (link) {
        var a = nodes[link[0]], b = nodes[link[1]];
        var x = a.x - b.x, y = a.y - b.y, d = Math.max(Math.sqrt(x * x + y * y), 0.1), pull = d / k;
        dx[link[0]] -= x * pull; dy[link[0]] -= y * pull; dx[link[1]] += x * pull; dy[link[1]] += y * pull;
      });
      for (var m = 0; m < n; m++) {
        // A weak pull to the centre keeps separate pieces on the canvas.
        dx[m] += (width / 2 - nodes[m].x) * 0.02; dy[m] += (height / 2 - nodes[m].y) * 0.02;
        var len = Math.max(Math.sqrt(dx[m] * dx[m] + dy[m] * dy[m]), 0.01), step = Math.min(len, temperature);
        nodes[m].x = Math.min(width - 12, Math.max(12, nodes[m].x + (dx[m] / len) * step));
        nodes[m].y = Math.min(height - 12, Math.max(12, nodes[m].y + (dy[m] / len) * step));
      }
      temperature = Math.max(temperature * 0.97, 1);
    }
    return links;
  }

  function draw(figure) {
    if (figure.dataset.drawn) { return; }
    var block = document.getElementById(figure.dataset.graph);
    if (!block) { return; }
    var data = JSON.parse(block.textContent);
    var width = Math.max(figure.clientWidth - 8, 300);
    var links = layout(data.nodes, data.edges, width, HEIGHT);
    var svg = el("svg", {viewBox: "0 0 " + width + " " + HEIGHT, width: width, height: HEIGHT, role: "img",
                         "aria-label": figure.querySelector("figcaption") ? figure.querySelector("figcaption").textContent : ""});
    var lines = el("g", {"class": "edges"}, svg), shapes = el("g", {"class": "nodes"}, svg);
    links.forEach(function (link) {
      var a = data.nodes[link[0]], b = data.nodes[link[1]];
      el("line", {x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1)}, lines);
    });
    var labelled = data.nodes.length <= 60;
    data.nodes.forEach(function (node) {
      var group = el("g", {"class": "node node-" + node.kind, transform: "translate(" + node.x.toFixed(1) + "," + node.y.toFixed(1) + ")"}, shapes);
      if (node.kind === "account") {
        el("circle", {r: Math.min(5 + Math.sqrt(node.weight || 0) * 1.5, 16).toFixed(1)}, group);
      } else {
        el("rect", {x: -6, y: -6, width: 12, height: 12, rx: 2}, group);
      }
      el("title", {}, group).textContent = node.kind + ": " + node.label;
      if (labelled) { el("text", {x: 9, y: 4}, group).textContent = node.label; }
    });
    figure.appendChild(svg);
    figure.dataset.drawn = "1";
  }

  function drawAll(root) {
    (root || document).querySelectorAll("figure[data-graph]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
