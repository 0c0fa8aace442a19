namespace Samskaping.Workspace.Components;

/// <summary>The words of "Samarbeid og stafett".</summary>
public static partial class Words
{
    public static string HandoverStatus(string status) => status switch
    {
        "requested" => "Venter på svar",
        "accepted" => "Godtatt",
        "declined" => "Avslått",
        "cancelled" => "Trukket tilbake",
        _ => status,
    };
}
