import Testing

@testable import ReleasePlan

/// `GraphLayout`: rows by depth, order by predecessors, arrows between boxes.
@Suite("report graph layout")
struct GraphLayoutTests {
    @Test("a diamond: one box on top, two side by side, one below; four arrows from bottom to top")
    func diamond() {
        let layout = GraphLayout.layered([("a", []), ("b", ["a"]), ("c", ["a"]), ("d", ["b", "c"])])
        #expect(layout.nodes.map(\.row) == [0, 1, 1, 2])
        let (w, h) = (GraphLayout.boxWidth, GraphLayout.boxHeight)
        #expect(layout.width == 2 * w + 28 + 24 && layout.height == 24 + 3 * h + 2 * 42)
        let x = Dictionary(uniqueKeysWithValues: layout.nodes.map { ($0.id, $0.x) })
        #expect(x["b"] == 12 && x["c"] == 12 + w + 28, "side by side in graph order")
        #expect(x["a"] == x["d"] && x["a"] == (layout.width - w) / 2, "centred")
        #expect(layout.edges.map { "\($0.from)>\($0.to)" } == ["a>b", "a>c", "b>d", "c>d"])
        let first = layout.edges[0]
        // From the bottom centre of a to just above the top centre of b.
        #expect(
            first.path
                == "M\(x["a"]! + w / 2) \(12 + h) C\(x["a"]! + w / 2) \(12 + h + 20) \(12 + w / 2) \(12 + h + 40 - 20) \(12 + w / 2) \(12 + h + 40)"
        )
    }

    @Test("a row is ordered by where its predecessors stand, not by graph order")
    func barycentre() {
        let layout = GraphLayout.layered([("left", []), ("right", []), ("under-right", ["right"]), ("under-left", ["left"])])
        let order = layout.nodes.filter { $0.row == 1 }.sorted { $0.x < $1.x }.map(\.id)
        #expect(order == ["under-left", "under-right"])
    }

    @Test("the longest path decides the row; unknown ids, duplicates and cycles are ignored")
    func depthAndRobustness() {
        let layout = GraphLayout.layered([
            ("a", []), ("b", ["a"]), ("c", ["b"]), ("d", ["a", "c", "nowhere"]), ("d", ["a"]), ("x", ["y"]), ("y", ["x"]),
        ])
        let rows = Dictionary(uniqueKeysWithValues: layout.nodes.map { ($0.id, $0.row) })
        #expect(rows["d"] == 3)
        #expect(layout.nodes.filter { $0.id == "d" }.count == 1)
        #expect(rows["x"] != nil && rows["y"] != nil)
        #expect(!layout.edges.contains { $0.from == "nowhere" })
    }

    @Test("edges unknown: one column in the given order, no arrows; nothing: an empty drawing")
    func columnAndEmpty() {
        let column = GraphLayout.column(["deploy", "gate.partner", "portals.reconcile"])
        #expect(column.nodes.map(\.row) == [0, 1, 2] && column.edges.isEmpty)
        #expect(Set(column.nodes.map(\.x)).count == 1)
        let empty = GraphLayout.layered([])
        #expect(empty.nodes.isEmpty && empty.edges.isEmpty && empty.height == 24)
    }

    @Test("the SVG draws a box, a label and a title per step and a path per edge; manual steps dashed")
    func svg() {
        let graph = RunReport.Graph(
            source: .planFile, note: "",
            steps: [
                ReportFixtures.step("deploy", "done"), ReportFixtures.step("gate.partner", "waiting", manual: true, after: ["deploy"]),
            ])
        let svg = GraphSVG.render(graph)
        #expect(svg.components(separatedBy: "<rect ").count - 1 == 2)
        #expect(svg.components(separatedBy: "<path class=\"edge\"").count - 1 == 1)
        #expect(svg.contains("stroke-dasharray=\"5 3\""))
        #expect(svg.contains("<title>gate.partner (manual): waiting</title>"))
        #expect(svg.contains("fill=\"#fff1c2\""), "waiting colour")
    }
}
