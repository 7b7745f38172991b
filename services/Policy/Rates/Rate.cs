namespace Trunk.Policy.Rates;

/// <summary>Price per minute for numbers starting with <see cref="Id"/> (E.164 digits without <c>+</c>).</summary>
public sealed record Rate(string Id, decimal PricePerMinute, string? Description);
