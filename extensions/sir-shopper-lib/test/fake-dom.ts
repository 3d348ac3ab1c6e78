/**
 * The least DOM Preact needs to render into, standing in for the extension sandbox's remote DOM in
 * the bundle smoke tests: elements with attributes and children, text nodes, textContent.
 */
export class FakeNode {
  childNodes: FakeNode[] = [];
  parentNode: FakeNode | null = null;
  attributes: Record<string, string> = {};
  style: Record<string, string> = {};
  data = "";
  constructor(
    readonly nodeType: number,
    readonly localName: string,
  ) {}
  get nodeName() {
    return this.localName.toUpperCase();
  }
  get firstChild() {
    return this.childNodes[0] ?? null;
  }
  get nextSibling(): FakeNode | null {
    const siblings = this.parentNode?.childNodes ?? [];
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }
  get textContent(): string {
    return this.nodeType === 3 ? this.data : this.childNodes.map((c) => c.textContent).join("");
  }
  set textContent(value: string) {
    if (this.nodeType === 3) this.data = value;
    else this.childNodes = [];
  }
  get nodeValue() {
    return this.data;
  }
  set nodeValue(value: string) {
    this.data = value;
  }
  insertBefore(node: FakeNode, before: FakeNode | null) {
    node.parentNode?.removeChild(node);
    const at = before ? this.childNodes.indexOf(before) : -1;
    if (at < 0) this.childNodes.push(node);
    else this.childNodes.splice(at, 0, node);
    node.parentNode = this;
    return node;
  }
  appendChild(node: FakeNode) {
    return this.insertBefore(node, null);
  }
  removeChild(node: FakeNode) {
    this.childNodes = this.childNodes.filter((c) => c !== node);
    node.parentNode = null;
    return node;
  }
  remove() {
    this.parentNode?.removeChild(this);
  }
  setAttribute(name: string, value: string) {
    this.attributes[name] = String(value);
  }
  getAttribute(name: string) {
    return this.attributes[name] ?? null;
  }
  removeAttribute(name: string) {
    delete this.attributes[name];
  }
  addEventListener() {}
  removeEventListener() {}
  /** Elements of a tag, depth first. */
  findAll(tag: string): FakeNode[] {
    return this.childNodes.flatMap((c) => [...(c.localName === tag ? [c] : []), ...c.findAll(tag)]);
  }
}

export function fakeDocument() {
  const body = new FakeNode(1, "body");
  return {
    body,
    createElement: (tag: string) => new FakeNode(1, tag),
    createElementNS: (_ns: string, tag: string) => new FakeNode(1, tag),
    createTextNode: (text: string) => Object.assign(new FakeNode(3, "#text"), { data: text }),
  };
}
