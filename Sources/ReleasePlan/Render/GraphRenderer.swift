/// Draws the execution graph: plain text, Graphviz DOT, or Mermaid (which GitHub renders). Step ids
/// are printed with their control characters escaped (`String.escapingControlCharacters`).
public enum GraphRenderer {
    public static func text(_ steps: [PlanStep]) -> String {
        steps.enumerated().map { index, step in
            let manual = step.manual ? " (manual)" : ""
            let after = step.after.isEmpty ? "" : " ← \(step.after.joined(separator: ", "))"
            return "\(index + 1). \(step.id)\(manual)\(after)".escapingControlCharacters + "\n"
        }.joined()
    }

    public static func dot(_ steps: [PlanStep], title: String) -> String {
        var out = "digraph release {\n"
        out += "  label=\(JSONText.quoted(title));\n  labelloc=t;\n  rankdir=TB;\n"
        out += "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
        for step in steps {
            let shape = step.manual ? ", shape=hexagon, style=\"\"" : ""
            out += "  \(JSONText.quoted(step.id)) [label=\(JSONText.quoted(step.id + (step.manual ? "\n(manual)" : "")))\(shape)];\n"
        }
        for step in steps {
            for before in step.after {
                out += "  \(JSONText.quoted(before)) -> \(JSONText.quoted(step.id));\n"
            }
        }
        return out + "}\n"
    }

    public static func mermaid(_ steps: [PlanStep]) -> String {
        var out = "graph TD\n"
        for step in steps {
            let label = "\"" + step.id.escapingControlCharacters + (step.manual ? " (manual)" : "") + "\""
            out += "  \(nodeID(step.id))" + (step.manual ? "{{\(label)}}" : "[\(label)]") + "\n"
        }
        for step in steps {
            for before in step.after {
                out += "  \(nodeID(before)) --> \(nodeID(step.id))\n"
            }
        }
        return out
    }

    /// Mermaid node ids: letters, digits and `_` only.
    static func nodeID(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}
