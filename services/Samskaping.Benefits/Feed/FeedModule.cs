namespace Samskaping.Benefits.Feed;

public static class FeedModule
{
    /// <summary>The Digisos status feed: the projection of cases' and grants' events into documents, and their delivery.</summary>
    public static IHostApplicationBuilder AddStatusFeed(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FeedOptions>()
            .BindConfiguration(FeedOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<FeedFactStore>();
        builder.Services.AddSingleton<FeedProjection>();
        builder.Services.AddSingleton<FeedStore>();
        return builder;
    }
}
