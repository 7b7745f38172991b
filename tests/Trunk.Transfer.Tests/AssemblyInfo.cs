// Every test here shares the saga's queue and tables on the real RabbitMQ and PostgreSQL: one host at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
