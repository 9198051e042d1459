// The bare HTTP calls `dtctl get documents` needs: page through the document list (page-size 500, then
// page-key) and parse every page; no CLI, no registry, no printing. Usage: bare_list.ts URL TOKEN
const [url, token] = Deno.args;
let count = 0;
let pageKey: string | undefined;
do {
  const query = pageKey ? `page-key=${encodeURIComponent(pageKey)}` : "page-size=500";
  const response = await fetch(`${url}/platform/document/v1/documents?${query}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const page = await response.json();
  count += page.documents.length;
  pageKey = page.nextPageKey;
} while (pageKey);
console.log(count);
