"""The reference runtime's control loop, one concern per module."""
