/// The measured requests per second made drawable at any length: the recorded seconds split into
/// segments where nothing was sent for more than `gap` seconds (a run waiting days at a gate does
/// not squeeze its bursts into slivers), and averaged over buckets of `bucketSeconds` so that a
/// chart has at most `maxBuckets` points however long the run. A bucket's value is its requests
/// divided by the seconds it covers, so the average is per second still.
public struct RateSeries: Sendable, Equatable {
    /// A stretch of time in which requests were sent, with no pause longer than `gap` seconds.
    public struct Segment: Sendable, Equatable {
        /// Unix second of its first bucket's start, and of its last recorded second.
        public var first: Int
        public var last: Int
        /// Requests per second and errors per second, one value per bucket.
        public var requests: [Double]
        public var errors: [Double]
    }

    public var segments: [Segment]
    /// Seconds per bucket (1 when the run is short enough to draw every second).
    public var bucketSeconds: Int

    /// The highest bucket value (requests per second), 0 when there are none.
    public var peak: Double { segments.flatMap(\.requests).max() ?? 0 }

    public static func build(_ points: [RunReport.RatePoint], maxBuckets: Int = 600, gap: Int = 300) -> RateSeries {
        let sorted = points.sorted { $0.second < $1.second }
        var spans: [[RunReport.RatePoint]] = []
        for point in sorted {
            if let previous = spans.last?.last, point.second - previous.second <= gap {
                spans[spans.count - 1].append(point)
            } else {
                spans.append([point])
            }
        }
        let active = spans.map { $0.last!.second - $0.first!.second + 1 }.reduce(0, +)
        let bucket = max(1, (active + maxBuckets - 1) / max(1, maxBuckets))
        let segments = spans.map { span -> Segment in
            let (first, last) = (span.first!.second, span.last!.second)
            let count = (last - first) / bucket + 1
            var requests = [Int](repeating: 0, count: count)
            var errors = [Int](repeating: 0, count: count)
            for point in span {
                requests[(point.second - first) / bucket] += point.requests
                errors[(point.second - first) / bucket] += point.errors
            }
            // The last bucket covers only the seconds up to the segment's last one.
            let widths = (0..<count).map { min(bucket, last - (first + $0 * bucket) + 1) }
            return Segment(
                first: first, last: last, requests: zip(requests, widths).map { Double($0) / Double($1) },
                errors: zip(errors, widths).map { Double($0) / Double($1) })
        }
        return RateSeries(segments: segments, bucketSeconds: bucket)
    }
}
