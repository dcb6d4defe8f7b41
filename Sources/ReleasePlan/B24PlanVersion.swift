/// The version of b24plan itself (printed by `--version`, written into SARIF and saved plans).
public enum B24PlanVersion {
    public static let current = "0.1.0"
}
