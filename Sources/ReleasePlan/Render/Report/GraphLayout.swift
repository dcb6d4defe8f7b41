/// A layered drawing of the execution graph, top to bottom: each step in the row of its depth
/// (the longest path of `after` edges that reaches it), the steps of a row ordered by where their
/// predecessors stand (one barycentre pass, ties in graph order), arrows as cubic curves from the
/// bottom of a box to the top of the next. Integer coordinates, so the drawing is the same on
/// every machine.
public struct GraphLayout: Sendable, Equatable {
    /// A step's box: its top-left corner (pixels).
    public struct Node: Sendable, Equatable {
        public var id: String
        public var row: Int
        public var x: Int
        public var y: Int
    }

    /// An arrow from `from` to `to`, as an SVG path.
    public struct Edge: Sendable, Equatable {
        public var from: String
        public var to: String
        public var path: String
    }

    public var nodes: [Node]
    public var edges: [Edge]
    public var width: Int
    public var height: Int

    public static let boxWidth = 200
    public static let boxHeight = 34
    static let columnGap = 28
    static let rowGap = 42
    static let margin = 12

    /// Lays out `steps` (id and the ids it comes after; unknown ids and cycles are ignored).
    public static func layered(_ steps: [(id: String, after: [String])]) -> GraphLayout {
        // The first step of each id; `index` maps an id to its place among those.
        var index: [String: Int] = [:]
        var unique: [(id: String, after: [String])] = []
        for step in steps where index[step.id] == nil {
            index[step.id] = unique.count
            unique.append(step)
        }
        let predecessors = unique.map { step in Array(Set(step.after.compactMap { index[$0] })).sorted() }
        // Depth by the longest path; a step on a cycle counts the edges that close it as absent.
        var depth = [Int?](repeating: nil, count: unique.count)
        var visiting = Set<Int>()
        func depthOf(_ node: Int) -> Int {
            if let known = depth[node] { return known }
            visiting.insert(node)
            var result = 0
            for before in predecessors[node] where !visiting.contains(before) { result = max(result, depthOf(before) + 1) }
            visiting.remove(node)
            depth[node] = result
            return result
        }
        for node in unique.indices { _ = depthOf(node) }
        let rows = (depth.compactMap { $0 }.max() ?? -1) + 1
        var members = [[Int]](repeating: [], count: rows)
        for node in unique.indices { members[depth[node]!].append(node) }
        // Order each row by the mean position of its predecessors in the rows above.
        var position = [Double](repeating: 0, count: unique.count)
        for row in 0..<rows {
            if row > 0 {
                members[row].sort { a, b in
                    let (ka, kb) = (barycentre(a, predecessors, position), barycentre(b, predecessors, position))
                    return ka != kb ? ka < kb : a < b
                }
            }
            for (slot, node) in members[row].enumerated() { position[node] = Double(slot) - Double(members[row].count - 1) / 2 }
        }
        return place(unique.map(\.id), rows: members, edges: unique.indices.flatMap { node in predecessors[node].map { ($0, node) } })
    }

    /// One step per row in the given order, no arrows: for steps whose edges are unknown.
    public static func column(_ ids: [String]) -> GraphLayout {
        place(ids, rows: ids.indices.map { [$0] }, edges: [])
    }

    private static func barycentre(_ node: Int, _ predecessors: [[Int]], _ position: [Double]) -> Double {
        let before = predecessors[node]
        guard !before.isEmpty else { return 0 }
        return before.map { position[$0] }.reduce(0, +) / Double(before.count)
    }

    private static func place(_ ids: [String], rows: [[Int]], edges: [(Int, Int)]) -> GraphLayout {
        let widest = rows.map(\.count).max() ?? 0
        let width = max(1, widest) * (boxWidth + columnGap) - columnGap + 2 * margin
        var nodes = [Node?](repeating: nil, count: ids.count)
        for (row, members) in rows.enumerated() {
            let rowWidth = members.count * (boxWidth + columnGap) - columnGap
            let start = (width - rowWidth) / 2
            for (slot, node) in members.enumerated() {
                nodes[node] = Node(
                    id: ids[node], row: row, x: start + slot * (boxWidth + columnGap), y: margin + row * (boxHeight + rowGap))
            }
        }
        let placed = nodes.compactMap { $0 }
        let arrows = edges.map { from, to -> Edge in
            let (a, b) = (nodes[from]!, nodes[to]!)
            let (x1, y1) = (a.x + boxWidth / 2, a.y + boxHeight)
            let (x2, y2) = (b.x + boxWidth / 2, b.y - 2)
            let bend = max(12, (y2 - y1) / 2)
            return Edge(from: a.id, to: b.id, path: "M\(x1) \(y1) C\(x1) \(y1 + bend) \(x2) \(y2 - bend) \(x2) \(y2)")
        }
        let height = rows.isEmpty ? 2 * margin : margin * 2 + rows.count * (boxHeight + rowGap) - rowGap
        return GraphLayout(nodes: placed, edges: arrows, width: width, height: height)
    }
}
