"""Typed Swift messages from Apache Kafka's JSON schemas: one struct per request and response, nested
structs for their arrays, encode/decode per version. Imported by scripts/gen-messages.py."""
import re

KEYWORDS = {"protocol", "operator", "default", "internal", "operation", "extension", "import", "in", "is", "as",
            "class", "struct", "enum", "func", "let", "var", "static", "self", "Self", "Type", "return", "throw",
            "throws", "where", "while", "for", "if", "else", "switch", "case", "repeat", "try", "catch", "guard",
            "init", "deinit", "subscript", "typealias", "associatedtype", "public", "private", "fileprivate", "open"}
INTS = {"int8": "Int8", "int16": "Int16", "int32": "Int32", "int64": "Int64", "uint16": "UInt16", "uint32": "UInt32"}
PRIMS = set(INTS) | {"bool", "float64", "string", "bytes", "uuid", "records"}


def parse_versions(text):
    """(lo, hi) with hi None for open-ended; None for 'none'."""
    if text is None or text == "none":
        return None
    if text.endswith("+"):
        return (int(text[:-1]), None)
    if "-" in text:
        lo, hi = text.split("-")
        return (int(lo), int(hi))
    return (int(text), int(text))


def condition(vr, valid):
    """A Swift condition on `version` for versions `vr`, given the message's valid range; None when always."""
    lo, hi = vr
    vlo, vhi = valid
    parts = []
    if lo > vlo:
        parts.append(f"version >= {lo}")
    if hi is not None and hi < vhi:
        parts.append(f"version <= {hi}")
    return " && ".join(parts) if parts else None


def prop(name):
    m = re.match(r"^([A-Z]*)(.*)$", name)
    head, rest = m.group(1), m.group(2)
    if rest and rest[0].islower() and len(head) > 1:
        head = head[:-1].lower() + head[-1]
    else:
        head = head.lower()
    p = head + rest
    return f"`{p}`" if p in KEYWORDS else p


def bare(p):
    return p.strip("`")


def type_name(name):
    return name + "_" if name in KEYWORDS else name


class Field:
    def __init__(self, f, common, structs, valid, msg):
        self.name = f["name"]
        self.prop = prop(self.name)
        self.t = f["type"]
        self.versions = parse_versions(f["versions"])
        self.nullable = parse_versions(f.get("nullableVersions"))
        self.tagged = parse_versions(f.get("taggedVersions"))
        self.tag = f.get("tag")
        self.default = f.get("default")
        self.about = f.get("about", "")
        self.array = self.t.startswith("[]")
        base = self.t[2:] if self.array else self.t
        self.base = base
        self.struct = None
        if base not in PRIMS:
            sub = f.get("fields") if f.get("fields") is not None else common[base]
            sname = type_name(base)
            if sname not in structs:
                structs[sname] = None  # reserve (recursion safety)
                structs[sname] = [Field(x, common, structs, valid, msg) for x in sub]
            self.struct = sname

    def elem_swift(self):
        if self.struct:
            return self.struct
        return {"bool": "Bool", "float64": "Double", "string": "String", "bytes": "ByteBuffer", "uuid": "KafkaUUID",
                "records": "ByteBuffer"}.get(self.base) or INTS[self.base]

    def is_optional(self):
        return self.nullable is not None or self.base == "records"

    def swift_type(self):
        e = self.elem_swift()
        t = f"[{e}]" if self.array else e
        return t + "?" if self.is_optional() else t

    def default_expr(self):
        d = self.default
        if self.is_optional() and (d is None or d == "null"):
            return "nil"
        if self.array:
            return "[]"
        if self.struct:
            return f"{self.struct}()"
        b = self.base
        if b == "bool":
            return "true" if str(d).lower() == "true" else "false"
        if b in INTS:
            if d is None or d == "":
                return "0"
            v = int(str(d), 0)
            return str(v)
        if b == "float64":
            return str(float(d)) if d not in (None, "") else "0"
        if b == "string":
            return '"' + (d or "") + '"' if d not in (None, "null") else '""'
        if b in ("bytes", "records"):
            return "ByteBuffer()"
        if b == "uuid":
            return "KafkaUUID()"
        raise ValueError(b)


def write_elem(f, expr, indent, path):
    pad = " " * indent
    if f.struct:
        return [f"{pad}{expr}.encode(version, flexible, into: &b)"]
    b = f.base
    if b == "bool":
        return [f"{pad}b.writeInteger(Int8({expr} ? 1 : 0))"]
    if b in INTS:
        return [f"{pad}b.writeInteger({expr})"]
    if b == "float64":
        return [f"{pad}b.writeInteger({expr}.bitPattern)"]
    if b == "string":
        return [f"{pad}b.writeKString({expr}, flexible)"]
    if b in ("bytes", "records"):
        return [f"{pad}b.writeKBytes({expr}, flexible)"]
    if b == "uuid":
        return [f"{pad}b.writeKafkaUUID(({expr}.high, {expr}.low))"]
    raise ValueError(b)


def write_field(f, expr, indent, valid):
    pad = " " * indent
    nullable_cond = None if f.nullable is None else condition(f.nullable, valid)
    if f.array:
        count = f"{expr}?.count" if f.is_optional() else f"{expr}.count"
        items = f"{expr} ?? []" if f.is_optional() else expr
        out = [f"{pad}b.writeKCount({count}, flexible)", f"{pad}for item in {items} {{"]
        out += write_elem(f, "item", indent + 4, None)
        out.append(f"{pad}}}")
        return out
    if f.struct and f.is_optional():
        return [f"{pad}if let value = {expr} {{", f"{pad}    b.writeInteger(Int8(1))"] + write_elem(
            f, "value", indent + 4, None) + [f"{pad}}} else {{", f"{pad}    b.writeInteger(Int8(-1))", f"{pad}}}"]
    if f.is_optional() and f.base not in ("string", "bytes", "records"):
        # A nullable scalar has no wire null: write its zero.
        return write_elem(f, f"({expr} ?? {f.default_expr() if f.default_expr() != 'nil' else '0'})", indent, None)
    return write_elem(f, expr, indent, None)


def read_elem(f, path):
    if f.struct:
        return f"try {f.struct}(version, flexible, from: &b)"
    b = f.base
    if b == "bool":
        return f'try b.readKafkaBool("{path}")'
    if b in INTS:
        return f'try b.readKafkaInteger("{path}", as: {INTS[b]}.self)'
    if b == "float64":
        return f'Double(bitPattern: try b.readKafkaInteger("{path}", as: UInt64.self))'
    if b == "string":
        return f'try b.readKString("{path}", flexible)' + ("" if f.is_optional() and not f.array else ' ?? ""')
    if b in ("bytes", "records"):
        return f'try b.readKBytes("{path}", flexible)' + ("" if f.is_optional() and not f.array else " ?? ByteBuffer()")
    if b == "uuid":
        return f'KafkaUUID(try b.readKafkaUUID("{path}"))'
    raise ValueError(b)


def read_field(f, target, indent, path):
    pad = " " * indent
    if f.array:
        out = [f'{pad}if let count = try b.readKCount("{path}", flexible) {{',
               f"{pad}    var items: [{f.elem_swift()}] = []",
               f"{pad}    items.reserveCapacity(count)",
               f"{pad}    for _ in 0..<count {{ items.append({read_elem(f, path)}) }}",
               f"{pad}    {target} = items"]
        out.append(f"{pad}}}" + ("" if f.is_optional() else " else {\n" + f"{pad}    {target} = []\n{pad}}}"))
        return out
    if f.struct and f.is_optional():
        return [f'{pad}{target} = try b.readKafkaInteger("{path}", as: Int8.self) < 0 ? nil : {read_elem(f, path)}']
    return [f"{pad}{target} = {read_elem(f, path)}"]


def struct_code(name, fields, structs, valid, indent, path, header):
    pad = " " * indent
    out = []
    for f in fields:
        if f.about:
            out.append(f"{pad}/// {f.about}")
        out.append(f"{pad}public var {f.prop}: {f.swift_type()} = {f.default_expr()}")
    # memberwise init
    out.append("")
    if fields:
        params = ", ".join(f"{f.prop}: {f.swift_type()} = {f.default_expr()}" for f in fields)
        out.append(f"{pad}public init({params}) {{")
        for f in fields:
            out.append(f"{pad}    self.{f.prop} = {f.prop}")
        out.append(f"{pad}}}")
    else:
        out.append(f"{pad}public init() {{}}")
    out.append("")
    # encode
    out.append(f"{pad}public func encode(_ version: Int16, _ flexible: Bool, into b: inout ByteBuffer) {{")
    tagged = []
    for f in fields:
        if f.versions is None:
            continue
        if f.tagged is not None:
            tagged.append(f)
            if f.tagged == f.versions:
                continue
            cond = condition(f.versions, valid)
            tcond = condition(f.tagged, valid)
            cond = ((cond + " && ") if cond else "") + f"!(flexible && {tcond or 'true'})"
        else:
            cond = condition(f.versions, valid)
        body = write_field(f, "self." + f.prop, indent + (8 if cond else 4), valid)
        if cond:
            out.append(f"{pad}    if {cond} {{")
            out += body
            out.append(f"{pad}    }}")
        else:
            out += body
    if header:
        out.append(f"{pad}    if flexible {{ b.writeUnsignedVarint(0) }}")
    else:
        out.append(f"{pad}    guard flexible else {{ return }}")
        if not tagged:
            out.append(f"{pad}    b.writeUnsignedVarint(0)")
        else:
            out.append(f"{pad}    var tagged = TaggedFieldWriter()")
            for f in tagged:
                tcond = condition(f.tagged, valid)
                check = f"self.{f.prop} != {f.default_expr()}"
                out.append(f"{pad}    if {((tcond + ' && ') if tcond else '')}{check} {{")
                out.append(f"{pad}        var b = ByteBuffer()")
                out += write_field(f, "self." + f.prop, indent + 8, valid)
                out.append(f"{pad}        tagged.add({f.tag}, b)")
                out.append(f"{pad}    }}")
            out.append(f"{pad}    tagged.write(into: &b)")
    out.append(f"{pad}}}")
    out.append("")
    # decode
    out.append(f"{pad}public init(_ version: Int16, _ flexible: Bool, from b: inout ByteBuffer) throws(WireError) {{")
    for f in fields:
        if f.versions is None:
            continue
        if f.tagged is not None and f.tagged == f.versions:
            continue
        cond = condition(f.versions, valid)
        if f.tagged is not None:
            cond = ((cond + " && ") if cond else "") + f"!(flexible && {condition(f.tagged, valid) or 'true'})"
        body = read_field(f, "self." + f.prop, indent + (8 if cond else 4), f"{path}.{f.name}")
        if cond:
            out.append(f"{pad}    if {cond} {{")
            out += body
            out.append(f"{pad}    }}")
        else:
            out += body
    if header:
        out.append(f'{pad}    if flexible {{ try b.skipTaggedFields("{path}") }}')
    elif not tagged:
        out.append(f'{pad}    if flexible {{ try b.skipTaggedFields("{path}") }}')
    else:
        out.append(f"{pad}    guard flexible else {{ return }}")
        out.append(f'{pad}    for field in try b.readTaggedFieldList("{path}") {{')
        out.append(f"{pad}        var b = field.value")
        out.append(f"{pad}        switch field.tag {{")
        for f in tagged:
            tcond = condition(f.tagged, valid)
            out.append(f"{pad}        case {f.tag}{(' where ' + tcond) if tcond else ''}:")
            out += read_field(f, "self." + f.prop, indent + 12, f"{path}.{f.name}")
        out.append(f"{pad}        default: continue")
        out.append(f"{pad}        }}")
        out.append(f"{pad}    }}")
    out.append(f"{pad}}}")
    return out


def message_code(name, d, pair, kind):
    valid = parse_versions(d["validVersions"])
    flexible = parse_versions(d.get("flexibleVersions", "none"))
    common = {c["name"]: c["fields"] for c in d.get("commonStructs", [])}
    structs = {}
    fields = [Field(f, common, structs, valid, name) for f in d["fields"]]
    header = kind == "header"
    proto = {"request": "KafkaRequest", "response": "KafkaResponse", "data": "KafkaVersionedStruct"}[kind]
    out = [f"/// {name}: Kafka API key {d.get('apiKey')}, versions {d['validVersions']}, flexible "
           f"{d.get('flexibleVersions', 'none')}." if kind != "data" else f"/// {name}, versions {d['validVersions']}.",
           f"public struct {name}: {proto} {{"]
    if kind == "request":
        out.append(f"    public typealias Response = {pair}")
    if kind in ("request", "response"):
        out.append(f"    public static let apiKey: Int16 = {d['apiKey']}")
    out.append(f"    public static let versions: ClosedRange<Int16> = {valid[0]}...{valid[1]}")
    out.append(f"    public static let firstFlexibleVersion: Int16? = {flexible[0] if flexible else 'nil'}")
    out.append("")
    for sname, sfields in structs.items():
        out.append(f"    public struct {sname}: KafkaStruct {{")
        out += struct_code(sname, sfields, structs, valid, 8, f"{name}.{sname}", False)
        out.append("    }")
        out.append("")
    out += struct_code(name, fields, structs, valid, 4, name, header)
    out.append("}")
    return out
