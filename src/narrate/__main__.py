from narrate.console import main

main()
