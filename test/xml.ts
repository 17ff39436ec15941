/** Test helper: a strict little XML parser (elements, attributes, text, entities) that throws on anything malformed. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITY = /^&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

function decodeText(raw: string, where: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '<') throw new Error(`stray < in ${where}`);
    if (ch !== '&') {
      out += ch;
      continue;
    }
    const match = ENTITY.exec(raw.slice(i));
    if (!match) throw new Error(`bad entity in ${where}: ${raw.slice(i, i + 10)}`);
    const name = match[1];
    out += name.startsWith('#x')
      ? String.fromCodePoint(parseInt(name.slice(2), 16))
      : name.startsWith('#')
        ? String.fromCodePoint(Number(name.slice(1)))
        : { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[name]!;
    i += match[0].length - 1;
  }
  return out;
}

/** Parses one XML document (an optional `<?xml …?>` declaration, then one root element). */
export function parseXml(source: string): XmlElement {
  let at = 0;
  const skipSpace = () => {
    while (/\s/.test(source[at] ?? '')) at++;
  };
  const element = (): XmlElement => {
    if (source[at] !== '<') throw new Error(`expected < at ${at}`);
    at++;
    const name = NAME.exec(source.slice(at))?.[0];
    if (!name) throw new Error(`expected element name at ${at}`);
    at += name.length;
    const node: XmlElement = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', at)) {
        at += 2;
        return node;
      }
      if (source[at] === '>') {
        at++;
        break;
      }
      const attr = NAME.exec(source.slice(at))?.[0];
      if (!attr) throw new Error(`expected attribute in <${name}> at ${at}`);
      at += attr.length;
      if (source[at] !== '=' || (source[at + 1] !== '"' && source[at + 1] !== "'")) throw new Error(`unquoted attribute ${attr}`);
      const quote = source[at + 1];
      const end = source.indexOf(quote, at + 2);
      if (end < 0) throw new Error(`unterminated attribute ${attr}`);
      if (attr in node.attrs) throw new Error(`duplicate attribute ${attr}`);
      node.attrs[attr] = decodeText(source.slice(at + 2, end), `attribute ${attr}`);
      at = end + 1;
    }
    for (;;) {
      const next = source.indexOf('<', at);
      if (next < 0) throw new Error(`unclosed <${name}>`);
      node.text += decodeText(source.slice(at, next), `<${name}>`);
      at = next;
      if (source.startsWith('</', at)) {
        const close = `</${name}>`;
        if (!source.startsWith(close, at)) throw new Error(`mismatched close tag at ${at}, expected ${close}`);
        at += close.length;
        return node;
      }
      node.children.push(element());
    }
  };
  if (source.startsWith('<?xml')) at = source.indexOf('?>') + 2;
  skipSpace();
  const root = element();
  skipSpace();
  if (at !== source.length) throw new Error(`content after the root element at ${at}`);
  return root;
}
