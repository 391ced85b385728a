"""Risk and reliability: stochastic transit times, disruptions, war risk and sanctions."""
