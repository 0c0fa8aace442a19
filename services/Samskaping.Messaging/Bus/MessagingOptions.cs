using System.ComponentModel.DataAnnotations;

namespace Samskaping.Messaging.Bus;

public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>From <c>ConnectionStrings:RabbitMq</c>, e.g. <c>amqp://user:password@127.0.0.1:56720/</c>.</summary>
    [Required(ErrorMessage = "ConnectionStrings:RabbitMq is missing: set it to the broker's amqp:// address.")]
    public string RabbitMq { get; set; } = "";

    /// <summary>Immediate retries of a failing consumer before the message goes to the error queue.</summary>
    [Range(0, 20)] public int RetryLimit { get; set; } = 5;

    /// <summary>Retries of a delivery that cannot reach the database (a restart, a failover), exponentially spaced up
    /// to <see cref="DatabaseRetryMaxInterval"/>, before the quick retries and the error queue take over.</summary>
    [Range(0, 100)] public int DatabaseRetryLimit { get; set; } = 10;

    /// <summary>Longest wait between two of those retries; with the defaults they span about a minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")] public TimeSpan DatabaseRetryMaxInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Second-level redelivery with delays. Needs RabbitMQ's delayed-message-exchange plugin, which Debian's
    /// package lacks; the RabbitMQ cluster operator's image has it.
    /// </summary>
    public bool DelayedRedelivery { get; set; }

    /// <summary>Messages a service works on at once (its one endpoint's prefetch and concurrency); each holds a database connection.</summary>
    [Range(1, 256)] public int ConcurrentMessages { get; set; } = 16;

    /// <summary>Quorum queues survive a broker node's loss; classic queues only for brokers that cannot do them.</summary>
    public bool QuorumQueues { get; set; } = true;
}
