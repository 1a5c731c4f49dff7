// `lag --format json` written field by field: the Encodable conformances in ArchitectCore define the document and
// ReportJSON (Foundation's JSONEncoder) writes it; this writer produces the same bytes several times faster, for
// reports over tens of thousands of groups. FastJSONTests holds the two to byte equality.

import ArchitectCore

struct PrettyJSON {
    var out = ""
    var depth = 0
    var empty: [Bool] = []

    init() { out.reserveCapacity(1 << 20) }

    mutating func newline() {
        out += "\n"
        for _ in 0..<depth { out += "  " }
    }

    mutating func open(_ c: String) {
        out += c
        depth += 1
        empty.append(true)
    }

    mutating func close(_ c: String) {
        depth -= 1
        if empty.removeLast() { out += "\n" }
        newline()
        out += c
    }

    mutating func item() {
        if empty[empty.count - 1] { empty[empty.count - 1] = false } else { out += "," }
        newline()
    }

    mutating func key(_ k: String) {
        item()
        FastJSON.quote(k, into: &out)
        out += " : "
    }

    mutating func string(_ k: String, _ v: String?) {
        key(k)
        if let v { FastJSON.quote(v, into: &out) } else { out += "null" }
    }

    mutating func int(_ k: String, _ v: Int64?) {
        key(k)
        out += v.map { String($0) } ?? "null"
    }

    mutating func double(_ k: String, _ v: Double?) {
        key(k)
        out += v.map(FastJSON.number) ?? "null"
    }

    mutating func bool(_ k: String, _ v: Bool) {
        key(k)
        out += v ? "true" : "false"
    }

    mutating func strings(_ k: String, _ v: [String]) {
        key(k)
        open("[")
        for s in v {
            item()
            FastJSON.quote(s, into: &out)
        }
        close("]")
    }
}

enum LagJSON {
    static func encode(_ r: LagReport) -> String {
        var w = PrettyJSON()
        w.open("{")
        w.bool("complete", r.complete)
        w.key("groups")
        w.open("[")
        for g in r.groups {
            w.item()
            group(g, &w)
        }
        w.close("]")
        w.strings("missing", r.missing)
        w.int("readings", Int64(r.readings))
        w.key("summary")
        w.open("{")
        for k in r.summary.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            w.int(k, r.summary[k].map(Int64.init))
        }
        w.close("}")
        w.int("takenAtMs", r.takenAtMs)
        w.strings("unsupported", r.unsupported)
        w.double("windowSeconds", r.windowSeconds)
        w.close("}")
        return w.out + "\n"
    }

    // Long because: one line per field, in the sorted order ReportJSON writes them.
    static func group(_ g: GroupLag, _ w: inout PrettyJSON) {
        w.open("{")
        w.string("catchUp", g.catchUp)
        w.double("catchUpSeconds", g.catchUpSeconds)
        w.double("consumeRate", g.consumeRate)
        w.key("findings")
        w.open("[")
        for f in g.findings {
            w.item()
            w.open("{")
            w.string("kind", f.kind)
            w.string("message", f.message)
            w.key("partitions")
            refs(f.partitions, &w)
            w.string("severity", f.severity.rawValue)
            w.close("}")
        }
        w.close("]")
        w.string("groupId", g.groupId)
        w.double("maxLagSeconds", g.maxLagSeconds)
        w.key("members")
        if let members = g.members {
            w.open("[")
            for m in members {
                w.item()
                w.open("{")
                w.key("assignment")
                refs(m.assignment, &w)
                w.string("clientId", m.clientId)
                if let id = m.groupInstanceId { w.string("groupInstanceId", id) }
                w.string("host", m.host)
                w.string("memberId", m.memberId)
                w.close("}")
            }
            w.close("]")
        } else {
            w.out += "null"
        }
        w.string("membershipNote", g.membershipNote)
        w.key("partitions")
        w.open("[")
        for p in g.partitions {
            w.item()
            partition(p, &w)
        }
        w.close("]")
        w.int("partitionsUnknown", Int64(g.partitionsUnknown))
        w.double("produceRate", g.produceRate)
        w.string("protocol", g.protocol)
        w.string("protocolType", g.protocolType)
        w.string("rule", g.rule)
        w.key("slo")
        if let s = g.slo {
            w.open("{")
            w.bool("atLeast", s.atLeast)
            w.bool("evaluated", s.evaluated)
            w.bool("exceeded", s.exceeded)
            w.double("exceededBy", s.exceededBy)
            w.double("limit", s.limit)
            w.string("reason", s.reason)
            w.string("source", s.source)
            w.string("unit", s.unit)
            w.double("value", s.value)
            w.close("}")
        } else {
            w.out += "null"
        }
        w.string("state", g.state)
        w.string("status", g.status.rawValue)
        w.int("totalLag", g.totalLag)
        w.close("}")
    }

    static func partition(_ p: PartitionLag, _ w: inout PrettyJSON) {
        w.open("{")
        w.string("catchUp", p.catchUp)
        w.double("catchUpSeconds", p.catchUpSeconds)
        w.string("clientId", p.clientId)
        w.int("committedOffset", p.committedOffset)
        w.double("consumeRate", p.consumeRate)
        w.string("host", p.host)
        w.int("lag", p.lag)
        w.key("lagHistory")
        w.open("[")
        for l in p.lagHistory {
            w.item()
            w.out += l.map { String($0) } ?? "null"
        }
        w.close("]")
        w.double("lagSeconds", p.lagSeconds)
        w.int("logEndOffset", p.logEndOffset)
        w.int("logStartOffset", p.logStartOffset)
        w.string("owner", p.owner)
        w.int("partition", Int64(p.partition))
        w.double("produceRate", p.produceRate)
        w.string("rule", p.rule)
        w.string("status", p.status?.rawValue)
        w.string("topic", p.topic)
        w.close("}")
    }

    static func refs(_ rs: [LagPartitionRef], _ w: inout PrettyJSON) {
        w.open("[")
        for r in rs {
            w.item()
            w.open("{")
            w.int("partition", Int64(r.partition))
            w.string("topic", r.topic)
            w.close("}")
        }
        w.close("]")
    }
}
