// Portuguese (Brazil; also used for other pt locales). Keys and {placeholders} exactly as in en.ts.
import type { Messages } from './en.js';

export const ptBR = {
  // Command names and descriptions (Discord localization fields).
  'cmd.seed.name': 'seed',
  'cmd.seed.description': 'Obter a seed e as quatro imagens ampliadas de um trabalho do Midjourney',
  'cmd.seed.job.name': 'job',
  'cmd.seed.job.description':
    'ID do job (jobid do useapi ou ID de tarefa do proxy), link ou ID de uma mensagem do Discord',
  'cmd.seed.private.name': 'privado',
  'cmd.seed.private.description': 'Só você vê a resposta',
  'cmd.getSeed.name': 'Obter seed',
  'cmd.midjourney.name': 'midjourney',
  'cmd.midjourney.description': 'Moderação das contas do Midjourney (moderadores)',
  'cmd.midjourney.status.name': 'status',
  'cmd.midjourney.status.description': 'Mostrar as contas do Midjourney, os bloqueios e os pedidos em espera',
  'cmd.midjourney.reset.name': 'reset',
  'cmd.midjourney.reset.description': 'Redefinir uma conta depois que a mensagem de moderação foi resolvida',
  'cmd.midjourney.reset.channel.name': 'canal',
  'cmd.midjourney.reset.channel.description': 'ID do canal da conta',

  // Waiting.
  'progress.accepted': '⏳ Trabalhando nisso…',
  'progress.queued': '⏳ Na fila: posição {position}. O Midjourney executa poucos trabalhos por vez.',
  'progress.asking': '⏳ Pedindo a seed ao Midjourney…',
  'progress.waiting': '⏳ O Midjourney está trabalhando nisso ({elapsed} s)…',
  'progress.busy': '⏳ O Midjourney está ocupado; tentando de novo em {seconds} s.',
  'progress.joined': '⏳ Alguém já pediu este trabalho; aguardando a mesma resposta…',
  'progress.retrying':
    '⏳ A useapi não está respondendo; seu pedido foi mantido. Nova tentativa em {seconds} s (tentativa {attempt}).',

  // The answer.
  'reply.answeredPrivately': 'Respondido em particular.',
  'reply.title': 'Seed {seed}',
  'reply.seedField': 'Seed',
  'reply.promptField': 'Prompt',
  'reply.jobField': 'Trabalho',
  'reply.original': 'Mensagem original',
  'reply.jump': 'Ir para a mensagem original',
  'reply.imagesLinked':
    'Não foi possível anexar as imagens ({reason}); elas estão em link, e o Discord pode parar de exibi-las depois de cerca de um dia.',
  'reply.imagesPending': 'Seed tirada do prompt; buscando as quatro imagens…',
  'reply.imagesFollow': 'As quatro imagens chegam em um instante…',
  'reply.imagesUnavailable': 'As quatro imagens não estão disponíveis.',
  'reply.fromPrompt': 'A seed já estava escrita no prompt.',
  'reply.lateMention': '{user}, aqui está a seed que você pediu:',
  'reason.tooLarge': 'grandes demais para enviar aqui',
  'reason.download': 'falha no download',
  'reason.unreadable': 'não foi possível ler a imagem',

  // Member mistakes.
  'error.invalidInput':
    'Isso não é um jobid, um link de mensagem nem um ID de mensagem. Cole o jobid do useapi (como `job:2024…-user:…-channel:…`) ou um link para a mensagem do Midjourney, ou clique com o botão direito na mensagem → Apps → Obter seed.',
  'error.notMidjourney':
    'Isto não é um resultado do Midjourney. Clique com o botão direito em uma imagem postada pelo bot do Midjourney.',
  'error.noImage':
    'Esta mensagem do Midjourney ainda não tem imagem. Espere o trabalho terminar e tente de novo.',
  'error.video': 'Só existem seeds para trabalhos imagine, button e blend, não para trabalhos de vídeo.',
  'error.otherGuild':
    'Esse link aponta para uma mensagem de outro servidor. Use um link para uma mensagem deste servidor.',
  'error.unknownMessage':
    'Não encontrei o trabalho do useapi por trás desta mensagem ({why}). Se você tiver o jobid, cole-o abaixo.',
  'why.notIndexed': 'não vi este trabalho',
  'button.pasteJobid': 'Colar o jobid',
  'modal.title': 'Cole o jobid do useapi',
  'modal.label': 'jobid desta mensagem',
  'error.jobidMismatch':
    'Esse jobid pertence a outra mensagem. Confira se você copiou o jobid desta mesma imagem.',
  'error.notOwner': 'Só o membro que criou esta imagem pode pedir a seed dela aqui.',
  'error.moderatorsOnly': 'Neste servidor, só moderadores podem pedir seeds.',
  'error.rateLimited': 'Você pediu muitas seeds em pouco tempo. Tente de novo em {seconds} s.',

  // Upstream outcomes.
  'error.notFinished': 'Esse trabalho ainda não terminou. Espere o Midjourney concluí-lo e peça de novo.',
  'error.unsupported': 'Só existem seeds para trabalhos imagine, button e blend; este é um trabalho {verb}.',
  'error.notFound':
    'O useapi não conhece esse trabalho. Confira o jobid; o useapi guarda os trabalhos por 31 dias.',
  'error.accountMissing':
    'Nenhuma conta do Midjourney está configurada no useapi para o canal deste trabalho.',
  'error.unauthorized':
    'O token do useapi do bot foi recusado. Um administrador precisa verificar o USEAPI_TOKEN.',
  'error.noSubscription':
    'A assinatura do useapi terminou. Um administrador precisa renová-la em useapi.net.',
  'error.busy': 'O Midjourney está ocupado agora e não consegui a minha vez. Tente de novo em um minuto.',
  'error.unavailable': 'O useapi não está respondendo agora. Tente de novo em alguns minutos.',
  'error.storageUnavailable':
    'O armazenamento não está respondendo agora, então não consegui aceitar seu pedido. Tente de novo em um minuto.',
  'error.timeout': 'O Midjourney demorou demais para responder. Tente de novo mais tarde.',
  'error.moderated': 'O Midjourney recusou este pedido (moderado).',
  'error.jobFailed': 'O Midjourney não conseguiu obter a seed deste trabalho. Tente de novo mais tarde.',
  'error.held':
    '⏸️ A conta do Midjourney está aguardando um moderador. Os moderadores foram avisados; seu pedido foi guardado e será executado sozinho depois da redefinição.',
  'error.shuttingDown': 'O bot está reiniciando; seu pedido foi guardado e será respondido em breve.',
  'error.internal': 'Algo deu errado do meu lado (referência `{ref}`). Tente de novo.',

  // Moderators.
  'mod.refused': 'Só moderadores (Gerenciar servidor ou um cargo de moderador) podem fazer isso.',
  'mod.alert.title': '⚠️ A conta do Midjourney {channel} está retida para moderação',
  'mod.alert.body':
    'O useapi respondeu 596: o Midjourney mostrou a esta conta uma mensagem de moderação ou um CAPTCHA. Os pedidos de seed dela foram guardados e estão aguardando.\n\n**O que fazer**\n1. Entre no Discord com a conta do Midjourney.\n2. Confirme a mensagem de moderação ou resolva o CAPTCHA.\n3. Clique em **Redefinir** abaixo (ou execute `/midjourney reset`).',
  'mod.alert.text': 'Mensagem de moderação',
  'mod.button.reset': 'Redefinir',
  'mod.confirm':
    'Você entrou no Discord com a conta do Midjourney do canal {channel} e confirmou a mensagem de moderação (ou resolveu o CAPTCHA)? Se redefinir antes disso, o useapi vai reter a conta de novo.',
  'mod.button.confirm': 'Sim, redefinir agora',
  'mod.button.cancel': 'Cancelar',
  'mod.cancelled': 'Redefinição cancelada.',
  'mod.reset.ok':
    '✅ Conta {channel} redefinida por {user}. {count, plural, one {# pedido em espera voltou a ser executado} other {# pedidos em espera voltaram a ser executados}}.',
  'mod.reset.stillPending':
    'A conta ainda tem uma mensagem de moderação pendente no useapi, então continua retida. Entre no Discord com a conta do Midjourney, confirme a mensagem (ou resolva o CAPTCHA) e redefina de novo.',
  'mod.reset.unauthorized': 'O useapi recusou a redefinição: o token do useapi do bot não é válido (401).',
  'mod.reset.notFound':
    'O useapi não tem conta do Midjourney para o canal {channel} (404). Confira o ID do canal.',
  'mod.reset.error': 'A redefinição falhou ({reason}). Tente de novo em um minuto.',
  'mod.status.title': 'Contas do Midjourney',
  'mod.status.none': 'Nenhuma conta do Midjourney está configurada para este token do {upstream}.',
  'mod.status.held': '⏸️ retida desde {since}',
  'mod.status.ok': '✅ funcionando',
  'mod.status.line':
    '**Token** {token} · **maxJobs** {maxJobs} · **em espera** {waiting} · **em execução** {executing}',
  'mod.status.pending': '**Mensagem de moderação pendente:** {text}',
  'mod.status.lastError': '**Último erro:** {error}',
  'mod.status.resets': '**Últimas redefinições:** {list}',
  'mod.status.noResets': 'nenhuma',
  'mod.status.unavailable': '{upstream} não respondeu: {reason}',

  // Moderators: /midjourney status | reset, alerts and the reset audit (issue 5).
  'mod.reset.inProgress': 'Uma redefinição da conta {channel} já está em andamento. Aguarde o resultado.',
  'mod.reset.invalidChannel':
    'Essa não é uma das contas que o bot conhece. Escolha uma das sugestões ou execute `/midjourney status` para ver as contas.',
  'mod.reset.working': '⏳ Redefinindo a conta {channel} no useapi…',
  'mod.alert.since': 'Retida desde',
  'mod.alert.noText': 'O useapi não deu nenhum texto. Veja as mensagens da conta do Midjourney no Discord.',
  'mod.alert.recoveredTitle': '✅ A conta do Midjourney {channel} está utilizável de novo',
  'mod.alert.recovered':
    'Resolvido {time}: a conta está utilizável de novo, ninguém precisou redefini-la. As solicitações em espera voltam a rodar.',
  'mod.alert.resolvedTitle': '✅ A conta do Midjourney {channel} foi redefinida',
  'mod.alert.resolved':
    'Resolvido: {user} redefiniu a conta {time}. Os pedidos em espera voltaram a ser executados.',
  'mod.audit.line': '🧾 Redefinição da conta {channel} por {user} {time}: {result}',
  'mod.result.ok': 'feita, a retenção foi liberada',
  'mod.result.stillPending': 'moderação ainda pendente, a retenção continua',
  'mod.result.unauthorized': 'recusada, o token do useapi não é válido (401)',
  'mod.result.notFound': 'o useapi não tem essa conta (404)',
  'mod.result.error': 'falhou',
  'mod.status.notConfigured': '**Não listada pelo {upstream}** para este token (o bot continua retendo).',
  'mod.status.alert': '**Alerta:** {link}',
  'mod.status.noAlert':
    '**Alerta:** não publicado. Confira MOD_ALERT_CHANNEL_ID e se o bot pode publicar nesse canal.',
  'mod.status.resetEntry': '{time} por {user}: {result}',
  'mod.status.more': '{count, plural, one {Mais # conta não exibida} other {Mais # contas não exibidas}}.',

  // Right-click "Get seed", message links and the job index (issue 3).
  'why.contentHidden':
    'o Discord não me mostrou o conteúdo desta mensagem; clique nela com o botão direito → Apps → Obter seed',
  'error.ownerUnknown':
    'Só o membro que criou uma imagem pode pedir a seed dela aqui, e não sei quem criou esta. Clique com o botão direito na mensagem do Midjourney → Apps → Obter seed.',
  'error.messageNotFound':
    'Não consegui abrir essa mensagem: ela foi apagada ou não vejo o canal dela. Confira o link (botão direito na mensagem → Copiar link da mensagem) ou clique com o botão direito na mensagem → Apps → Obter seed.',
  'error.messageNotHere':
    'Não há nenhuma mensagem com esse id neste canal. Cole um link para a mensagem (botão direito nela → Copiar link da mensagem).',
  'error.pastedNotJobid':
    'Isso não é um jobid do useapi. Ele tem esta forma: `job:2024…-user:…-channel:…`; copie de novo e cole.',

  // Callbacks, queue and restarts (issue 4).
  'error.restarting': 'O bot está reiniciando. Tente de novo em alguns segundos.',

  // Forgiving input, the copy button, useapi's Midjourney status (issue 12).
  'error.severalJobids': 'Esse texto tem mais de um jobid. Cole só o jobid da imagem cuja seed você quer.',
  'error.discontinued':
    'As seeds não estão disponíveis agora: o useapi.net não atende mais o Midjourney para este bot. A administração do bot pode verificar com `npm run doctor`.',
  'button.copySeed': 'Copiar prompt com seed',
  'copy.gone': 'Não tenho mais esta seed guardada. Peça de novo com /seed e o jobid mostrado na resposta.',
  'error.seedPending': 'O Midjourney ainda não enviou a seed deste trabalho. Peça de novo em alguns minutos.',
  'progress.seedPending':
    '⏳ O Midjourney ainda não enviou a seed; ela está a caminho. Pergunto de novo em {seconds} s.',
  'progress.proxyRetrying':
    '⏳ O midjourney-proxy não está respondendo; seu pedido foi guardado. Nova tentativa em {seconds} s (tentativa {attempt}).',
  'error.proxy.notFound':
    'O midjourney-proxy não conhece essa tarefa. Confira o id da tarefa (16 dígitos) ou clique com o botão direito na mensagem do Midjourney → Apps → Get seed.',
  'error.proxy.unauthorized':
    'O token do midjourney-proxy do bot foi recusado. Um administrador precisa verificar MJ_PROXY_TOKEN.',
  'error.proxy.unavailable':
    'O midjourney-proxy não está respondendo agora. Tente de novo em alguns minutos.',
  'mod.alert.proxyBody':
    'O midjourney-proxy não tem nenhuma conta do Midjourney utilizável. Os pedidos de seed ficam guardados e esperam; voltam a rodar sozinhos assim que o proxy tiver uma de novo.\n\n**O que fazer**\n1. Abra a página de administração do proxy.\n2. Desbloqueie ou reative uma conta do Discord lá (um CAPTCHA, uma verificação do Cloudflare, uma conta desativada).\n3. Pressione **Reset** abaixo (ou rode `/midjourney reset`) para verificar agora.',
  'mod.alert.proxyNoText':
    'O proxy não diz mais nada. A página de administração dele mostra quais contas estão bloqueadas e por quê.',
  'mod.proxyConfirm':
    'Você desbloqueou ou reativou uma conta do Midjourney na página de administração do midjourney-proxy? O bot não consegue fazer isso daqui: ele verifica se o proxy tem de novo uma conta utilizável e, se tiver, os pedidos em espera rodam.',
  'mod.reset.proxyStillPending':
    'O midjourney-proxy ainda não tem nenhuma conta do Midjourney utilizável, então os pedidos continuam retidos. Desbloqueie ou reative uma conta na página de administração do proxy e verifique de novo.',
  'mod.reset.proxyWorking':
    '⏳ Verificando se o midjourney-proxy tem de novo uma conta do Midjourney utilizável…',
  'error.proxy.invalidInput':
    'Isso não é um id de tarefa, um link de mensagem nem um id de mensagem. Cole o id de tarefa do midjourney-proxy (16 dígitos, como `1733400000000123`), um link para a mensagem do Midjourney, ou clique com o botão direito na mensagem → Apps → Get seed.',
  'error.proxy.pastedNotJobid':
    'Isso não é um id de tarefa do midjourney-proxy. Ele tem 16 dígitos, como `1733400000000123`; copie de novo e cole.',
  'modal.proxyTitle': 'Cole o id de tarefa do midjourney-proxy',
  'error.proxy.unknownMessage':
    'Não encontrei a tarefa do midjourney-proxy por trás desta mensagem ({why}). Se você tem o id da tarefa, cole abaixo.',
} satisfies Messages;
