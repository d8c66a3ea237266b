/// The model's fixed sizes (docs/model.md, "Architecture"): the weights are checked against these.
public enum BeatNetDimensions {
    /// Model width D.
    public static let model = 32
    /// Morphology samples per lead W.
    public static let morphology = 96
    /// Most beats in a window T.
    public static let maximumBeats = 32
    /// Most leads per beat L.
    public static let maximumLeads = 12
    /// Lead identities (`LeadIdentity.count`).
    public static let leadIdentities = 13
    /// RR features per beat.
    public static let rrFeatures = 8
    /// Attention heads.
    public static let heads = 2
    /// Transformer feed-forward width.
    public static let feedForward = 64
    /// Transformer layers.
    public static let layers = 2
    /// Output classes, in order: N, A, O, ~ (CinC 2017).
    public static let classes = 4
    /// The classes' labels in output order.
    public static let classLabels = ["N", "A", "O", "~"]
    /// Per-beat classes, in order: N, S, V, F, Q (ANSI/AAMI EC57; `BeatClass`'s order).
    public static let beatClasses = 5
    /// The per-beat classes' labels in output order.
    public static let beatClassLabels = ["N", "S", "V", "F", "Q"]
    /// A beat's labels are final once it is this many beats behind the newest beat of the window
    /// (the labelling latency, docs/model.md); the weights' `config` may set another.
    public static let defaultLabelLagBeats = 4

    /// Head width D / heads.
    static let headWidth = model / heads
    /// Channels and kernels of the three encoder convolutions (all stride 2, padding k/2).
    static let conv1 = (input: 1, output: 8, kernel: 7, padding: 3)
    static let conv2 = (input: 8, output: 16, kernel: 5, padding: 2)
    static let conv3 = (input: 16, output: 32, kernel: 5, padding: 2)
    /// Positions after each stride-2 convolution: 96 → 48 → 24 → 12.
    static let length1 = 48, length2 = 24, length3 = 12
    /// `enc.proj`'s inputs: every position of the last convolution (channel-major) and log amplitude.
    static let encoderFeatures = conv3.output * length3 + 1
}
