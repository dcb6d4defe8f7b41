/// The `graph` section's drawing: the run's steps as boxes coloured by journal state (a manual step
/// dashed), laid out by `GraphLayout`, arrows as SVG paths. Every id is escaped; the full id and
/// state are in each box's `<title>`.
enum GraphSVG {
    static func render(_ graph: RunReport.Graph) -> String {
        let layout =
            graph.edgesKnown
            ? GraphLayout.layered(graph.steps.map { ($0.id, $0.after) }) : GraphLayout.column(graph.steps.map(\.id))
        let states = Dictionary(graph.steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" width=\"\(layout.width)\" height=\"\(layout.height)\" "
            + "viewBox=\"0 0 \(layout.width) \(layout.height)\" role=\"img\" aria-label=\"execution graph\">\n"
        out += "<title>Execution graph of the run</title>\n"
        out +=
            "<defs><marker id=\"arrowhead\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
            + "orient=\"auto\"><path d=\"M0 0 L10 5 L0 10 Z\" fill=\"#555555\"/></marker></defs>\n"
        if !layout.edges.isEmpty {
            out += "<g class=\"edges\" fill=\"none\" stroke=\"#555555\" stroke-width=\"1.4\">\n"
            for edge in layout.edges {
                out +=
                    "<path class=\"edge\" d=\"\(edge.path)\" marker-end=\"url(#arrowhead)\">"
                    + "<title>\(HTMLText.escape(edge.from)) → \(HTMLText.escape(edge.to))</title></path>\n"
            }
            out += "</g>\n"
        }
        out += "<g class=\"nodes\">\n"
        for node in layout.nodes {
            let step = states[node.id]
            let state = step?.state ?? "pending"
            let colour = ReportPalette.step(state)
            let dash = step?.manual == true ? " stroke-dasharray=\"5 3\"" : ""
            let manual = step?.manual == true ? " (manual)" : ""
            out += "<g class=\"node state-\(HTMLText.classToken(state))\">"
            out += "<title>\(HTMLText.escape(node.id))\(manual): \(HTMLText.escape(state))</title>"
            out +=
                "<rect x=\"\(node.x)\" y=\"\(node.y)\" width=\"\(GraphLayout.boxWidth)\" height=\"\(GraphLayout.boxHeight)\" rx=\"6\" "
                + "fill=\"\(colour.fill)\" stroke=\"\(colour.stroke)\" stroke-width=\"1.6\"\(dash)/>"
            out +=
                "<text x=\"\(node.x + GraphLayout.boxWidth / 2)\" y=\"\(node.y + 15)\" text-anchor=\"middle\" fill=\"#1d1d1d\">"
                + HTMLText.label(node.id, limit: 26) + "</text>"
            out +=
                "<text x=\"\(node.x + GraphLayout.boxWidth / 2)\" y=\"\(node.y + 28)\" text-anchor=\"middle\" fill=\"\(colour.stroke)\" "
                + "font-size=\"10\">" + HTMLText.label(state + manual, limit: 30) + "</text>"
            out += "</g>\n"
        }
        out += "</g>\n</svg>\n"
        return out
    }
}
