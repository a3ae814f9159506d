/** Minimal markup inspection for the report tests (no DOM in Node): split out SVGs, count elements, check nesting. */

/** Every `<svg …>…</svg>` of the page, with its `data-chart` kind and its title. */
export function charts(html: string): { kind: string; title: string; markup: string }[] {
  return [...html.matchAll(/<svg\b[^>]*data-chart="([^"]*)"[^>]*>(.*?)<\/svg>/gs)].map((m) => ({
    kind: m[1],
    title: /<title>(.*?)<\/title>/s.exec(m[2])?.[1] ?? '',
    markup: m[0],
  }));
}

/** Number of elements `<tag class="cls"` in the markup. */
export function count(markup: string, tag: string, cls: string): number {
  return [...markup.matchAll(new RegExp(`<${tag}\\b[^>]*\\bclass="${cls}"`, 'g'))].length;
}

/** Numeric attribute values of the elements `<tag class="cls" …>`, in order. */
export function attributes(markup: string, tag: string, cls: string, name: string): number[] {
  return [...markup.matchAll(new RegExp(`<${tag}\\b[^>]*\\bclass="${cls}"[^>]*>`, 'g'))].map((m) =>
    Number(new RegExp(`\\b${name}="([^"]*)"`).exec(m[0])?.[1]),
  );
}

const VOID = new Set(['meta', 'link', 'br', 'hr', 'img', 'input']);

/** Throws unless every tag is closed in order and text holds no stray `<` or bare `&` (well-formed enough for XML). */
export function checkWellFormed(markup: string): void {
  const stack: string[] = [];
  const body = markup.replace(/<!DOCTYPE[^>]*>/i, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w-]*)([^>]*?)(\/?)>|<|&(?!(?:amp|lt|gt|quot|#39);)/g)) {
    if (m[2] === undefined)
      throw new Error(`Unescaped "${m[0]}" at ${m.index}: ${body.slice(m.index - 30, m.index + 30)}`);
    const [, closing, tag, , selfClosing] = m;
    if (selfClosing || VOID.has(tag.toLowerCase())) continue;
    if (!closing) stack.push(tag);
    else if (stack.pop() !== tag) throw new Error(`</${tag}> closes the wrong element at ${m.index}`);
  }
  if (stack.length) throw new Error(`Unclosed: ${stack.join(', ')}`);
}
