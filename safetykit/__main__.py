from safetykit.cli.app import main

main()
