using System.ComponentModel.DataAnnotations;

namespace Samskaping.Messaging.Database;

/// <summary>The service's own PostgreSQL database.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>From <c>ConnectionStrings:Database</c>.</summary>
    [Required(ErrorMessage = "ConnectionStrings:Database is missing: set it to this service's own PostgreSQL database (for example Host=127.0.0.1;Port=55432;Database=cases;Username=postgres).")]
    public string ConnectionString { get; set; } = "";

    /// <summary>Create the database at start-up when it does not exist (local development and tests).</summary>
    public bool CreateIfMissing { get; set; }
}
