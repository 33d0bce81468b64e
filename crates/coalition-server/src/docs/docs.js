// Renders /api/openapi.json as a page: routes by tag, their parameters, bodies, responses and
// the schemas they name. Same origin only; every value is set as text, never as markup.
"use strict";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function schemaName(schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.type === "array") return schemaName(schema.items) + "[]";
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  if (schema.oneOf) return schema.oneOf.map(schemaName).join(" | ");
  return schema.type || "object";
}

function schemaLink(schema) {
  const name = schemaName(schema);
  const ref = schema && (schema.$ref || (schema.items && schema.items.$ref));
  return ref ? el("a", { href: "#schema-" + ref.split("/").pop() }, name) : el("code", {}, name);
}

function content(body) {
  const list = el("ul");
  for (const [type, media] of Object.entries((body && body.content) || {})) {
    list.append(el("li", {}, el("code", {}, type), " ", schemaLink(media.schema)));
  }
  return list;
}

function operation(path, method, op) {
  const body = el("div");
  if (op.description) body.append(el("p", {}, op.description));
  const params = op.parameters || [];
  if (params.length) {
    const table = el("table", {}, el("tr", {}, el("th", {}, "parameter"), el("th", {}, "in"),
      el("th", {}, "type"), el("th", {}, "required"), el("th", {}, "description")));
    for (const p of params) {
      table.append(el("tr", {}, el("td", {}, el("code", {}, p.name)), el("td", {}, p.in),
        el("td", {}, schemaLink(p.schema)), el("td", {}, p.required ? "yes" : "no"),
        el("td", {}, p.description || "")));
    }
    body.append(el("h4", {}, "Parameters"), table);
  }
  if (op.requestBody) {
    body.append(el("h4", {}, "Body"));
    if (op.requestBody.description) body.append(el("p", {}, op.requestBody.description));
    body.append(content(op.requestBody));
  }
  const responses = el("table", {}, el("tr", {}, el("th", {}, "status"),
    el("th", {}, "description"), el("th", {}, "body")));
  for (const [status, response] of Object.entries(op.responses || {})) {
    responses.append(el("tr", {}, el("td", {}, status), el("td", {}, response.description || ""),
      el("td", {}, content(response))));
  }
  body.append(el("h4", {}, "Responses"), responses);
  const details = el("details", { class: "operation" },
    el("summary", {}, el("span", { class: "method " + method }, method), " ",
      el("span", { class: "path" }, path), el("span", { class: "summary" }, op.summary || "")),
    body);
  details.dataset.search = [method, path, (op.tags || []).join(" "), op.summary || "",
    op.description || ""].join(" ").toLowerCase();
  return details;
}

function render(doc) {
  document.getElementById("title").textContent = (doc.info && doc.info.title) || "API";
  document.getElementById("version").textContent =
    "version " + ((doc.info && doc.info.version) || "?") + " · OpenAPI " + doc.openapi;
  document.getElementById("description").replaceChildren(
    el("p", {}, (doc.info && doc.info.description) || ""));
  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || "other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push(operation(path, method, op));
    }
  }
  const operations = document.getElementById("operations");
  const tags = document.getElementById("tags");
  operations.replaceChildren();
  tags.replaceChildren();
  for (const [tag, ops] of byTag) {
    tags.append(el("a", { href: "#tag-" + tag }, tag));
    operations.append(el("h2", { id: "tag-" + tag }, tag), ...ops);
  }
  const schemas = document.getElementById("schemas");
  schemas.replaceChildren(el("h2", {}, "Schemas"));
  for (const [name, schema] of Object.entries((doc.components && doc.components.schemas) || {})) {
    schemas.append(el("h3", { id: "schema-" + name }, name),
      el("pre", {}, JSON.stringify(schema, null, 2)));
  }
  document.getElementById("filter").addEventListener("input", (event) => {
    const words = event.target.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const node of operations.querySelectorAll("details.operation")) {
      node.classList.toggle("hidden", !words.every((w) => node.dataset.search.includes(w)));
    }
  });
}

fetch("/api/openapi.json")
  .then((response) => {
    if (!response.ok) throw new Error("the document answered " + response.status);
    return response.json();
  })
  .then(render)
  .catch((err) => {
    document.getElementById("operations").replaceChildren(el("p", {}, String(err)));
  });
