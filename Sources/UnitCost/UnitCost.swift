/// The unitcost library: every stage of the pipeline `ingest → attribute → join → allocate → measure → render`.
///
/// The executable `unitcost` only parses arguments and calls into this module.
public enum UnitCost {
    /// The version written into every `summary.json` as `tool_version`.
    public static let version = "0.1.0"
}
